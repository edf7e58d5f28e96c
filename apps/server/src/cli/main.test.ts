import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { catalogMarkdown } from './catalog-doc.js';
import { type CliIO, main } from './main.js';
import { spliceUpgrades } from './upgrades-doc.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const examples = readdirSync(`${root}/examples`)
  .filter((f) => f.endsWith('.json'))
  .map((f) => `examples/${f}`);

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    cwd: root,
    isTTY: false,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

const fixture = (name: string) => `apps/server/src/cli/fixtures/${name}.json`;

describe('sluice validate', () => {
  it('accepts every file in examples/', async () => {
    const { code, stdout } = await run('validate', ...examples);
    expect(code).toBe(0);
    for (const file of examples) expect(stdout).toContain(`${file}: valid\n`);
  });

  it.each([
    ['cycle', 'graph.cycle', /node '(big|per_minute|again)'/],
    ['dangling-edge', 'edge.dangling', /edge 'e4'/],
    ['unknown-kind', 'node.unknown-kind', /node 'big'/],
    ['bad-config', 'config.invalid', /nodes\[2\]\.config\.window\.size, node 'per_minute'/],
    ['missing-field', 'expression.unknown-field', /nodes\[1\]\.config\.where, node 'big'/],
    ['proto-field', 'config.field-name', /nodes\[0\]\.config\.schema\[2\]\.name, node 'orders'/],
    ['constructor-field', 'expression.reserved-name', /node 'big'/],
  ])('rejects %s with %s at the right node', async (name, code, where) => {
    const result = await run('validate', fixture(name));
    expect(result.code).toBe(1);
    const line = result.stdout.split('\n').find((l) => l.includes(`error [${code}]`));
    expect(line).toMatch(where);
  });

  it('underlines the wrong part of an expression', async () => {
    const { stdout } = await run('validate', fixture('missing-field'));
    expect(stdout).toContain('      amout > 100\n      ^^^^^\n');
  });

  it('prints machine-readable diagnostics with --json', async () => {
    const { code, stdout } = await run(
      'validate',
      '--json',
      fixture('dangling-edge'),
      examples[0]!,
    );
    expect(code).toBe(1);
    const results = JSON.parse(stdout);
    expect(results).toHaveLength(2);
    expect(results[0]).toMatchObject({ valid: false });
    expect(results[0].diagnostics).toContainEqual(
      expect.objectContaining({ code: 'edge.dangling', edgeId: 'e4' }),
    );
    expect(results[1]).toEqual({ file: examples[0], valid: true, diagnostics: [] });
  });

  it('reports a missing file as an error', async () => {
    const { code, stdout } = await run('validate', 'nope.json');
    expect(code).toBe(1);
    expect(stdout).toContain('no such file');
  });

  it('explains usage mistakes with exit code 2', async () => {
    expect((await run('validate')).code).toBe(2);
    expect((await run('frobnicate')).stderr).toContain("Unknown command 'frobnicate'");
    expect((await run('validate', '--jsn', 'x.json')).code).toBe(2);
  });

  it.each(['start', 'login', 'validate', 'run', 'catalog'])(
    'answers `%s --help` with that command’s options, and does not run it',
    async (command) => {
      const { code, stdout, stderr } = await run(command, '--help');
      expect(code).toBe(0);
      expect(stderr).toBe('');
      expect(stdout).toMatch(
        new RegExp(`^Usage: sluice ${command} \\[options\\]\n\n  ${command} `),
      );
      expect(stdout).not.toContain('Unknown');
      expect(stdout).not.toContain('  schema ');
    },
  );
});

describe('sluice flink-sql', () => {
  it('prints the Flink SQL of a pipeline that compiles, with its warnings on stderr', async () => {
    const { code, stdout, stderr } = await run('flink-sql', 'examples/kafka-orders.json');
    expect(code).toBe(0);
    expect(stdout).toContain('CREATE TEMPORARY TABLE `orders` (');
    expect(stdout).toContain(
      "FROM TABLE(TUMBLE(TABLE `big_orders`, DESCRIPTOR(`ts`), INTERVAL '1' MINUTE))",
    );
    expect(stdout).toMatch(/^INSERT INTO `totals`$/m);
    expect(stderr).toContain(
      "warning: 'Orders' (orders): On Flink a message that cannot be read fails the job",
    );
  });

  it('says why a pipeline cannot run on Flink, and prints no SQL', async () => {
    const { code, stdout, stderr } = await run('flink-sql', 'examples/orders-per-category.json');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('The preview sink runs only on the embedded engine');
    expect(stderr).toContain('cannot run on Flink as it is');
  });

  it('refuses an invalid pipeline with exit code 2', async () => {
    const { code, stderr } = await run('flink-sql', fixture('cycle'));
    expect(code).toBe(2);
    expect(stderr).toContain('invalid');
  });
});

describe('generated docs', () => {
  it('docs/catalog.md is up to date (run `npm run docs` after a change)', () => {
    expect(readFileSync(`${root}/docs/catalog.md`, 'utf8')).toBe(catalogMarkdown());
  });

  it('docs/engine.md lists, per kind, which edits keep, migrate or drop state (run `npm run docs`)', () => {
    const engine = readFileSync(`${root}/docs/engine.md`, 'utf8');
    expect(engine).toBe(spliceUpgrades(engine));
    for (const kind of ['window.aggregate', 'join.regular', 'source.kafka'])
      expect(engine).toMatch(new RegExp(`\\| \`${kind.replace('.', '\\.')}\` +\\|`));
  });
});

describe('the installed sluice command', () => {
  it('runs through npx from the repository root (needs a build, as npm test does)', () => {
    expect(existsSync(`${root}/apps/server/dist/cli/main.js`), 'run `npm run build` first').toBe(
      true,
    );
    const ok = spawnSync('npx', ['--no-install', 'sluice', 'validate', ...examples], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(ok.status).toBe(0);
    const bad = spawnSync('npx', ['--no-install', 'sluice', 'validate', fixture('cycle')], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('graph.cycle');
  });
});
