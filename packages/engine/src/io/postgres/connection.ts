// One connection to a PostgreSQL server, made when first needed and made
// again after it breaks: work that fails because the server cannot be reached
// is run again from its start, with a growing pause, until the server has
// been unreachable for the timeout. Anything else (a refused password, a
// missing table, a bad value) fails at once, with PostgreSQL's words.
import pg from 'pg';

export interface PostgresConnectionOptions {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly password?: string;
  /** Names the sink in pg_stat_activity. */
  readonly applicationName: string;
  readonly unreachableTimeoutMs: number;
  readonly now: () => number;
}

/** SQLSTATE classes and codes after which the same work may succeed on a new connection. */
const RETRYABLE_STATES = new Set([
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '40001',
  '40P01',
  '57014', // statement_timeout
  '55P03', // lock_timeout
]);
const RETRYABLE_ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
const FIRST_PAUSE_MS = 100;
/** The longest one statement may take (or wait for a lock). */
const STATEMENT_TIMEOUT_MS = 60_000;
const MOST_PAUSE_MS = 5_000;

/** Whether `error` says the server could not be reached (or dropped us), not that the work is wrong. */
export function isUnreachable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    if (RETRYABLE_ERRNO.has(code) || RETRYABLE_STATES.has(code) || code.startsWith('08'))
      return true;
  }
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|connection timeout|Client has encountered a connection error|Query read timeout/i.test(
    message,
  );
}

export class PostgresConnection {
  readonly #options: PostgresConnectionOptions;
  #client: pg.Client | undefined;
  #connecting: Promise<pg.Client> | undefined;
  /** Since when the server has been unreachable, while it is. */
  #unreachableSince: number | undefined;
  #lastProblem = '';
  #closed = false;

  constructor(options: PostgresConnectionOptions) {
    this.#options = options;
  }

  get where(): string {
    return `${this.#options.host}:${this.#options.port}/${this.#options.database}`;
  }

  /** Runs `work` on the connection, again on a new one while the server is unreachable. */
  async run<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
    let pause = FIRST_PAUSE_MS;
    for (;;) {
      if (this.#closed) throw new Error('the connection to PostgreSQL is closed');
      try {
        const client = await this.#connect();
        const result = await work(client);
        this.#unreachableSince = undefined;
        return result;
      } catch (error) {
        if (!isUnreachable(error)) throw error;
        this.#drop();
        const now = this.#options.now();
        this.#unreachableSince ??= now;
        this.#lastProblem = error instanceof Error ? error.message : String(error);
        if (now - this.#unreachableSince >= this.#options.unreachableTimeoutMs) {
          throw new Error(
            `PostgreSQL at ${this.where} has been unreachable for ${Math.round((now - this.#unreachableSince) / 1000)} s (${this.#lastProblem})`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, pause));
        pause = Math.min(MOST_PAUSE_MS, pause * 2);
      }
    }
  }

  /** A sentence for the canvas while the server is unreachable and the work is retried. */
  condition(): string | undefined {
    if (this.#unreachableSince === undefined) return undefined;
    const s = Math.round((this.#options.now() - this.#unreachableSince) / 1000);
    return `PostgreSQL at ${this.where} unreachable for ${s} s, retrying: ${this.#lastProblem}`;
  }

  async close(): Promise<void> {
    this.#closed = true;
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => {});
  }

  #connect(): Promise<pg.Client> {
    if (this.#client) return Promise.resolve(this.#client);
    this.#connecting ??= (async () => {
      const o = this.#options;
      const client = new pg.Client({
        host: o.host,
        port: o.port,
        database: o.database,
        user: o.user,
        ...(o.password === undefined ? {} : { password: o.password }),
        application_name: o.applicationName,
        connectionTimeoutMillis: 10_000,
        // A black-holed network or a held lock fails the statement instead of waiting for ever;
        // a timeout is an unknown outcome, retried (exactly-once writes check their epoch first).
        keepAlive: true,
        statement_timeout: STATEMENT_TIMEOUT_MS,
        lock_timeout: STATEMENT_TIMEOUT_MS,
        query_timeout: STATEMENT_TIMEOUT_MS + 10_000,
      });
      // A connection that breaks while idle is noticed by the next work, which connects again.
      client.on('error', () => {
        if (this.#client === client) this.#drop();
      });
      try {
        await client.connect();
      } catch (error) {
        await client.end().catch(() => {});
        throw error;
      }
      this.#client = client;
      return client;
    })().finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  #drop(): void {
    const client = this.#client;
    this.#client = undefined;
    client?.end().catch(() => {});
  }
}
