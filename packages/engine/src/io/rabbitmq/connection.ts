// A connection to a RabbitMQ broker (amqplib), made again after it breaks,
// with a growing pause, until the broker has been unreachable for the
// timeout. Each connection made is a new generation: delivery tags belong to
// the channel they came on, so an acknowledgement names its generation and is
// dropped if that channel is gone (the broker has put those messages back).
import { randomBytes } from 'node:crypto';
import amqp from 'amqplib';

export interface RabbitOptions {
  readonly host: string;
  readonly port: number;
  readonly vhost: string;
  readonly user: string;
  readonly password?: string;
  /** Names the client in the broker's connection list. */
  readonly connectionName: string;
  readonly unreachableTimeoutMs: number;
  readonly now: () => number;
}

const FIRST_PAUSE_MS = 200;
const MOST_PAUSE_MS = 5_000;

/** A generation's id: unique to this process and connection, so a checkpoint's never matches a later run's. */
let generations = 0;
const RUN = randomBytes(4).toString('hex');
export function newGeneration(): string {
  return `${RUN}.${++generations}`;
}

/** What a source's or sink's config says of its broker, as the connection takes it. */
export function rabbitOptions(
  config: {
    readonly host: string;
    readonly port: number;
    readonly vhost: string;
    readonly user: string;
    readonly unreachableTimeoutMs: number;
  },
  password: string | undefined,
  nodeId: string,
  now: () => number,
): RabbitOptions {
  return {
    host: config.host,
    port: config.port,
    vhost: config.vhost,
    user: config.user,
    ...(password === undefined ? {} : { password }),
    connectionName: `sluice ${nodeId}`,
    unreachableTimeoutMs: config.unreachableTimeoutMs,
    now,
  };
}

/** Why a failure of the broker is not a reason to retry: a refused login, a missing queue. */
export function isFatal(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  // 403 ACCESS_REFUSED (a login or a permission), 404 NOT_FOUND (a queue or exchange), 406 PRECONDITION_FAILED.
  return /ACCESS[-_]REFUSED|NOT[-_]FOUND|PRECONDITION[-_]FAILED/.test(message);
}

export function where(options: RabbitOptions): string {
  return `${options.host}:${options.port}${options.vhost === '/' ? '' : `/${options.vhost}`}`;
}

/** Connects, retrying while the broker cannot be reached; fatal errors (a refused login) at once. */
export async function connectRetrying(
  options: RabbitOptions,
  noteUnreachable: (since: number | undefined, problem: string) => void,
  stopped: () => boolean,
): Promise<amqp.ChannelModel> {
  let pause = FIRST_PAUSE_MS;
  let since: number | undefined;
  for (;;) {
    try {
      const model = await amqp.connect(
        {
          protocol: 'amqp',
          hostname: options.host,
          port: options.port,
          vhost: options.vhost,
          username: options.user,
          password: options.password ?? '',
          heartbeat: 30,
        },
        { timeout: 10_000, clientProperties: { connection_name: options.connectionName } },
      );
      noteUnreachable(undefined, '');
      return model;
    } catch (error) {
      const problem = error instanceof Error ? error.message : String(error);
      if (isFatal(error) || stopped()) throw error;
      const now = options.now();
      since ??= now;
      noteUnreachable(since, problem);
      if (now - since >= options.unreachableTimeoutMs) {
        throw new Error(
          `RabbitMQ at ${where(options)} has been unreachable for ${Math.round((now - since) / 1000)} s (${problem})`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, pause));
      pause = Math.min(MOST_PAUSE_MS, pause * 2);
    }
  }
}
