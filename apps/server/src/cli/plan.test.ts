import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Pipeline } from '@sluice/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../server.js';
import type { CliIO } from './io.js';
import { main } from './main.js';

const example = fileURLToPath(
  new URL('../../../../examples/orders-per-category.json', import.meta.url),
);

let dir: string;
let original: Pipeline;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-plan-'));
  original = JSON.parse(await readFile(example, 'utf8')) as Pipeline;
  await writeFile(join(dir, 'old.json'), JSON.stringify(original));
  const resized = structuredClone(original);
  const win = resized.nodes.find((n) => n.id === 'per_category')!;
  (win.config as { window: { size: string } }).window.size = '10s';
  await writeFile(join(dir, 'resized.json'), JSON.stringify(resized));
  const added = structuredClone(original);
  (
    added.nodes.find((n) => n.id === 'per_category')!.config as { aggregates: object[] }
  ).aggregates.push({ name: 'biggest', fn: 'max', expr: 'amount' });
  await writeFile(join(dir, 'added.json'), JSON.stringify(added));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(argv: string[], env?: NodeJS.ProcessEnv) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    cwd: dir,
    isTTY: false,
  };
  const previous = process.env.SLUICE_TOKEN;
  if (env?.SLUICE_TOKEN) process.env.SLUICE_TOKEN = env.SLUICE_TOKEN;
  try {
    return { code: await main(argv, io), stdout, stderr };
  } finally {
    if (previous === undefined) delete process.env.SLUICE_TOKEN;
    else process.env.SLUICE_TOKEN = previous;
  }
}

describe('sluice plan, between two files', () => {
  it('prints the plan node by node; a migration is not a drop', async () => {
    const { code, stdout } = await run(['plan', 'old.json', 'added.json', '--fail-on-drop']);
    expect(code).toBe(0);
    expect(stdout).toContain('Upgrade plan: 2 kept, 1 migrated, 1 without state');
    expect(stdout).toMatch(/migrated +Window aggregate “.*”\n +It keeps .*'biggest' starts empty/);
  });

  it('exits 1 with --fail-on-drop when state would be dropped, naming the field', async () => {
    const { code, stdout, stderr } = await run([
      'plan',
      'old.json',
      'resized.json',
      '--fail-on-drop',
    ]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/DROPPED +Window aggregate .*\n.*\(window\.size\) changed/);
    expect(stderr).toContain('drops state (--fail-on-drop)');
    // Without the flag the plan is only told.
    expect((await run(['plan', 'old.json', 'resized.json'])).code).toBe(0);
  });

  it('prints JSON with --json, and says how it is called with --help', async () => {
    const { stdout } = await run(['plan', 'old.json', 'resized.json', '--json']);
    expect(JSON.parse(stdout)).toMatchObject({ dropsState: true });
    const help = await run(['plan', '--help']);
    expect(help.stdout).toContain('--fail-on-drop');
    expect((await run(['plan', 'old.json'])).code).toBe(2);
  });
});

describe('sluice plan --job, against the running server', () => {
  let dataDir: string;
  let server: RunningServer;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sluice-plan-server-'));
    server = await startServer({ port: 0, dataDir, logLevel: 'silent' });
  });
  afterAll(async () => {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("plans against a running job's version, and exits 1 with --fail-on-drop", async () => {
    const token = server.options.token;
    const unbounded = structuredClone(original);
    const orders = unbounded.nodes.find((n) => n.id === 'orders')!;
    delete (orders.config as { count?: number }).count;
    (orders.config as { rate?: number }).rate = 100;
    const deployed = await fetch(`${server.url}/api/jobs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ pipeline: unbounded }),
    });
    expect(deployed.status).toBe(201);
    const { id } = (await deployed.json()) as { id: string };
    const resized = structuredClone(unbounded);
    (
      resized.nodes.find((n) => n.id === 'per_category')!.config as { window: { size: string } }
    ).window.size = '10s';
    await writeFile(join(dir, 'live-resized.json'), JSON.stringify(resized));
    const port = new URL(server.url).port;
    const dropped = await run(
      ['plan', '--job', id, 'live-resized.json', '--fail-on-drop', '--port', port],
      { SLUICE_TOKEN: token },
    );
    expect(dropped.stdout).toMatch(/DROPPED +Window aggregate/);
    expect(dropped.code).toBe(1);
    const unknown = await run(['plan', '--job', 'nope', 'live-resized.json', '--port', port], {
      SLUICE_TOKEN: token,
    });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no plan (404)');
  }, 30_000);
});
