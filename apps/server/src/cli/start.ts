import { isIP } from 'node:net';
import { join } from 'node:path';
import { BOOTSTRAP_SERVERS_PATTERN } from '@sluice/shared';
import { ConfigError, filesDir, parseFlinkClusters, TOKEN_FILE } from '../config.js';
import { seedExamples } from '../seed.js';
import { startServer } from '../server.js';
import type { CliIO } from './io.js';

const BOOTSTRAP = new RegExp(BOOTSTRAP_SERVERS_PATTERN);

export interface StartFlags {
  readonly port?: string;
  readonly host?: string;
  readonly dataDir?: string;
  readonly kafka?: string;
  /** `[NAME=]GATEWAY_URL,REST_URL`, each --flink one cluster. */
  readonly flink?: readonly string[];
}

/** `sluice start`: runs the server until Ctrl-C, then stops its jobs and closes. */
export async function startCommand(flags: StartFlags, io: CliIO): Promise<number> {
  const port = flags.port === undefined ? undefined : Number(flags.port);
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65_536)) {
    io.stderr(`sluice: --port must be a number from 0 to 65535, not '${flags.port}'.\n`);
    return 2;
  }
  if (flags.kafka !== undefined && !BOOTSTRAP.test(flags.kafka)) {
    io.stderr(`sluice: --kafka must be host:port, comma-separated, not '${flags.kafka}'.\n`);
    return 2;
  }
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    const flinkClusters =
      flags.flink && flags.flink.length > 0
        ? parseFlinkClusters(flags.flink.join(' '), '--flink')
        : undefined;
    server = await startServer({
      ...(flinkClusters ? { flinkClusters } : {}),
      ...(port === undefined ? {} : { port }),
      ...(flags.host ? { host: flags.host } : {}),
      ...(flags.dataDir ? { dataDir: flags.dataDir } : {}),
      ...(flags.kafka ? { kafkaBootstrap: flags.kafka } : {}),
    });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr(`sluice: ${error.message}\n`);
    return 2;
  }
  const added = seedExamples(server.app.store, server.options.dataDir, filesDir(server.options));
  if (added > 0) io.stdout(`Added ${added} example pipelines to start from.\n`);
  const host = server.app.server.address();
  const listening = typeof host === 'object' && host ? host.address : '';
  if (!isLoopback(listening)) {
    io.stderr(
      `Warning: Sluice is listening on ${listening}, not only on this machine. Anyone who can reach it can try the token; put HTTPS in front of it.\n`,
    );
  }
  const tokenFile = process.env.SLUICE_TOKEN
    ? 'SLUICE_TOKEN'
    : join(server.options.dataDir, 'state', TOKEN_FILE);
  // The link holds a one-time code, not the token: history keeps nothing that signs in.
  io.stdout(
    `Sluice is running at ${server.url}\nOpen this link to sign in:\n\n    ${server.loginUrl}\n\n` +
      `It works once, within 24 hours. For another browser, run \`sluice login --data-dir ${server.options.dataDir} --port ${new URL(server.url).port}\`, or paste the token from ${tokenFile} on the sign-in page.\n\nPress Ctrl-C to stop.\n`,
  );
  await new Promise<void>((resolve) => {
    if (io.signal?.aborted) resolve();
    io.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  io.stdout('Stopping: closing jobs and connections…\n');
  await server.close();
  return 0;
}

function isLoopback(address: string): boolean {
  if (address === '::1' || address === 'localhost') return true;
  return isIP(address) === 4 && address.startsWith('127.');
}
