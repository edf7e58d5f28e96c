import { parseArgs } from 'node:util';
import { describeCatalog, pipelineJsonSchema } from '@sluice/shared';
import { catalogMarkdown } from './catalog-doc.js';
import { flinkSqlCommand } from './flink-sql.js';
import type { CliIO } from './io.js';
import { loginCommand } from './login.js';
import { planCommand } from './plan.js';
import { runCommand } from './run.js';
import { startCommand } from './start.js';
import { testCommand } from './test.js';
import { validateCommand } from './validate.js';

export type { CliIO } from './io.js';

const USAGE = `Usage: sluice <command> [options]

Commands:
  start                       Start the server (default http://127.0.0.1:4800)
           --port N           Port (0 picks a free one; default 4800, or SLUICE_PORT)
           --host HOST        Interface (default 127.0.0.1: this machine only)
           --data-dir DIR     state/ (database, token) and files/ (default ./.sluice)
           --kafka HOST:PORT  Kafka cluster the designer browses by default (or SLUICE_KAFKA_BOOTSTRAP)
           --flink [NAME=]GATEWAY_URL,REST_URL   A Flink cluster pipelines can run on (or SLUICE_FLINK;
                              repeat for several; NAME defaults to flink)
  login                       Print a new one-time sign-in link from the running server
           --port N           Its port (default 4800, or SLUICE_PORT)
           --host HOST        Its interface (default 127.0.0.1)
           --data-dir DIR     Where its token is (default ./.sluice; or SLUICE_TOKEN)
  validate PIPELINE.json...   Check pipelines; exit 1 if any has an error
           --json             Print the diagnostics as JSON
  run PIPELINE.json           Run a pipeline until its input ends (or Ctrl-C)
           --data-dir DIR     Where file paths resolve (default: the current directory)
           --state-dir DIR    Keep checkpoints in DIR; run again with it to resume
  test PIPELINE.json          Replay the cases saved beside it (PIPELINE.tests.json); exit 1 on any difference
           --tests FILE       The cases, if elsewhere
           --update           Write what the sinks produce now as the expected rows
  plan OLD.json NEW.json      What deploying NEW in place of OLD does to the state, node by node
           --job ID           ... or in place of the server's job ID: sluice plan --job ID NEW.json
           --fail-on-drop     Exit 1 when some state would be dropped (for CI)
           --json             Print the plan as JSON
           --port N, --host HOST, --data-dir DIR   The server, with --job (as for login)
  flink-sql PIPELINE.json     Print the pipeline as Flink SQL, for Flink's SQL client or gateway;
                              exit 1 when a node cannot run on Flink (stderr says why)
           --data-dir DIR     Where the cluster sees the data directory (maps file sources and sinks)
           --json             Print the statements and diagnostics as JSON
  catalog                     Print the operator catalog as JSON
          --markdown          ... or as the Markdown reference (docs/catalog.md)
  schema                      Print the JSON Schema of the pipeline format
  help                        Show this help
`;

/** Runs the `sluice` command line; resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  const help = command === undefined ? undefined : commandHelp(command);
  if (help && (rest.includes('--help') || rest.includes('-h'))) {
    io.stdout(help);
    return 0;
  }
  try {
    switch (command) {
      case 'validate': {
        const { values, positionals } = parseArgs({
          args: [...rest],
          options: { json: { type: 'boolean', default: false } },
          allowPositionals: true,
        });
        if (positionals.length === 0)
          return usage(io, 'validate needs at least one pipeline file.');
        return await validateCommand(positionals, { json: values.json ?? false }, io);
      }
      case 'start': {
        const { values } = parseArgs({
          args: [...rest],
          options: {
            port: { type: 'string' },
            host: { type: 'string' },
            'data-dir': { type: 'string' },
            kafka: { type: 'string' },
            flink: { type: 'string', multiple: true },
          },
        });
        return await startCommand(
          {
            port: values.port,
            host: values.host,
            dataDir: values['data-dir'],
            kafka: values.kafka,
            ...(values.flink ? { flink: values.flink } : {}),
          },
          io,
        );
      }
      case 'login': {
        const { values } = parseArgs({
          args: [...rest],
          options: {
            port: { type: 'string' },
            host: { type: 'string' },
            'data-dir': { type: 'string' },
          },
        });
        return await loginCommand(
          { port: values.port, host: values.host, dataDir: values['data-dir'] },
          io,
        );
      }
      case 'run': {
        const { values, positionals } = parseArgs({
          args: [...rest],
          options: { 'data-dir': { type: 'string' }, 'state-dir': { type: 'string' } },
          allowPositionals: true,
        });
        if (positionals.length !== 1) return usage(io, 'run needs exactly one pipeline file.');
        return await runCommand(
          positionals[0]!,
          { dataDir: values['data-dir'], stateDir: values['state-dir'] },
          io,
        );
      }
      case 'test': {
        const { values, positionals } = parseArgs({
          args: [...rest],
          options: {
            tests: { type: 'string' },
            update: { type: 'boolean', default: false },
          },
          allowPositionals: true,
        });
        if (positionals.length !== 1) return usage(io, 'test needs one pipeline file.');
        return await testCommand(
          positionals[0]!,
          { ...(values.tests ? { tests: values.tests } : {}), update: values.update ?? false },
          io,
        );
      }
      case 'plan': {
        const { values, positionals } = parseArgs({
          args: [...rest],
          options: {
            job: { type: 'string' },
            'fail-on-drop': { type: 'boolean', default: false },
            json: { type: 'boolean', default: false },
            port: { type: 'string' },
            host: { type: 'string' },
            'data-dir': { type: 'string' },
          },
          allowPositionals: true,
        });
        return await planCommand(
          positionals,
          {
            job: values.job,
            json: values.json ?? false,
            failOnDrop: values['fail-on-drop'] ?? false,
            port: values.port,
            host: values.host,
            dataDir: values['data-dir'],
          },
          io,
        );
      }
      case 'flink-sql': {
        const { values, positionals } = parseArgs({
          args: [...rest],
          options: { 'data-dir': { type: 'string' }, json: { type: 'boolean', default: false } },
          allowPositionals: true,
        });
        if (positionals.length !== 1)
          return usage(io, 'flink-sql needs exactly one pipeline file.');
        return await flinkSqlCommand(
          positionals[0]!,
          { dataDir: values['data-dir'], json: values.json ?? false },
          io,
        );
      }
      case 'catalog': {
        const { values } = parseArgs({
          args: [...rest],
          options: { markdown: { type: 'boolean', default: false } },
        });
        io.stdout(
          values.markdown ? catalogMarkdown() : `${JSON.stringify(describeCatalog(), null, 2)}\n`,
        );
        return 0;
      }
      case 'schema':
        io.stdout(`${JSON.stringify(pipelineJsonSchema(), null, 2)}\n`);
        return 0;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout(USAGE);
        return 0;
      default:
        return usage(io, `Unknown command '${command}'.`);
    }
  } catch (cause) {
    // parseArgs throws on unknown options; say which, without a stack trace.
    if (cause instanceof TypeError && 'code' in cause) return usage(io, cause.message);
    throw cause;
  }
}

/** One command's lines of the usage: `sluice start --help`. */
function commandHelp(command: string): string | undefined {
  const lines = USAGE.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`  ${command} `));
  if (start === -1) return undefined;
  const options = lines.slice(start + 1).findIndex((line) => !/^ {5,}/.test(line));
  const end = options === -1 ? lines.length : start + 1 + options;
  return `Usage: sluice ${command} [options]\n\n${lines.slice(start, end).join('\n')}\n`;
}

function usage(io: CliIO, problem: string): number {
  io.stderr(`sluice: ${problem}\n\n${USAGE}`);
  return 2;
}
