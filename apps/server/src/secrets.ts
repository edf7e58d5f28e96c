// Where the secrets a pipeline names come from: the server's environment
// (SLUICE_SECRET_<NAME>) first, then state/secrets.json in its data directory
// (`{"POSTGRES_PASSWORD": "…"}`), read when a job starts, so a secret added
// there needs no restart. state/ is the server's private folder, beside files/,
// so no file node can read it. Values go to the job that names them, and
// nowhere else: not to the API, the canvas, the logs or an export.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const SECRETS_FILE = 'secrets.json';
const ENV_PREFIX = 'SLUICE_SECRET_';

export interface ResolvedSecrets {
  readonly values: Readonly<Record<string, string>>;
  /** Names neither the environment nor the file has. */
  readonly missing: readonly string[];
  /** Why the file could not be read, if it is there but unreadable. */
  readonly problem?: string;
}

export class Secrets {
  readonly #file: string;
  readonly #env: NodeJS.ProcessEnv;

  /** `stateDir`: the server's private folder (state/). */
  constructor(stateDir: string, env: NodeJS.ProcessEnv = process.env) {
    this.#file = join(stateDir, SECRETS_FILE);
    this.#env = env;
  }

  resolve(names: readonly string[]): ResolvedSecrets {
    const values: Record<string, string> = {};
    const missing: string[] = [];
    let file: Record<string, unknown> | undefined;
    let problem: string | undefined;
    for (const name of new Set(names)) {
      const fromEnv = this.#env[`${ENV_PREFIX}${name}`];
      if (fromEnv !== undefined && fromEnv !== '') {
        values[name] = fromEnv;
        continue;
      }
      if (file === undefined && problem === undefined) ({ file, problem } = this.#read());
      const fromFile = file && Object.hasOwn(file, name) ? file[name] : undefined;
      if (typeof fromFile === 'string') values[name] = fromFile;
      else missing.push(name);
    }
    return { values, missing, ...(problem ? { problem } : {}) };
  }

  #read(): { file?: Record<string, unknown>; problem?: string } {
    let text: string;
    try {
      text = readFileSync(this.#file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { file: {} };
      return { problem: `state/${SECRETS_FILE} cannot be read (${(error as Error).message})` };
    }
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed))
        return { file: parsed as Record<string, unknown> };
    } catch {
      // Said below, without the text: it holds secrets.
    }
    return {
      problem: `state/${SECRETS_FILE} is not a JSON object of names and texts ({"POSTGRES_PASSWORD": "…"})`,
    };
  }
}
