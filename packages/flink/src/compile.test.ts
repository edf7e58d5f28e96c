// Golden tests of the compiler: the SQL and the diagnostics of every case in
// cases.ts and of every example (as it is, and with Kafka at its edges), each
// in a file under golden/ that a change to the compiler shows as a diff.
// Update them with `npx vitest run packages/flink -u` and read the diff.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzePipeline, OPERATORS, type Pipeline } from '@sluice/shared';
import { describe, expect, test } from 'vitest';
import { CASES } from './cases.js';
import { compileToFlinkSql, type FlinkCompilation } from './compile.js';
import { throughKafka } from './through-kafka.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const GOLDEN = fileURLToPath(new URL('../golden/', import.meta.url));

function compile(pipeline: Pipeline): FlinkCompilation {
  const analysis = analyzePipeline(pipeline);
  const problems = analysis.diagnostics.filter((d) => d.severity === 'error');
  expect(problems, `${pipeline.name} is valid`).toEqual([]);
  return compileToFlinkSql(pipeline, analysis.schemas, { dataDir: '/srv/sluice/data' });
}

/** The golden text: diagnostics as comments, then the statements. */
function render(name: string, result: FlinkCompilation): string {
  const lines = [`-- ${name}: ${result.complete ? 'compiles' : 'refused'}`];
  for (const d of result.diagnostics) lines.push(`-- ${d.severity}: ${d.message}`);
  return `${lines.join('\n')}\n\n${result.statements.map((s) => `${s};`).join('\n\n')}\n`;
}

function examples(): { name: string; pipeline: Pipeline }[] {
  const dirs = ['examples', 'examples/nexmark'];
  return dirs.flatMap((dir) =>
    readdirSync(join(ROOT, dir))
      .filter((f) => f.endsWith('.json'))
      .map((f) => ({
        name: `${dir.replace('examples', '').replace('/', '')}${dir === 'examples' ? '' : '-'}${f.slice(0, -5)}`,
        pipeline: JSON.parse(readFileSync(join(ROOT, dir, f), 'utf8')) as Pipeline,
      })),
  );
}

describe('each kind', () => {
  for (const [name, pipeline] of Object.entries(CASES)) {
    test(name, async () => {
      await expect(render(pipeline.name, compile(pipeline))).toMatchFileSnapshot(
        join(GOLDEN, 'kinds', `${name}.sql`),
      );
    });
  }

  test('every kind of the catalog is among the cases, compiled or refused', () => {
    const seen = new Set(Object.values(CASES).flatMap((p) => p.nodes.map((n) => n.kind)));
    expect(OPERATORS.map((o) => o.kind).filter((k) => !seen.has(k))).toEqual([]);
  });
});

describe('the examples', () => {
  for (const { name, pipeline } of examples()) {
    test(`${name}, as it is`, async () => {
      await expect(render(pipeline.name, compile(pipeline))).toMatchFileSnapshot(
        join(GOLDEN, 'examples', `${name}.sql`),
      );
    });
    test(`${name}, with Kafka at its edges`, async () => {
      const analysis = analyzePipeline(pipeline);
      const rewired = throughKafka(pipeline, analysis.schemas, {
        bootstrapServers: 'localhost:9092',
        group: 'sluice-equivalence',
        sourceTopic: (id, port) => `${id}.${port}`,
        sinkTopic: (id) => `${id}.out`,
      });
      await expect(render(rewired.name, compile(rewired))).toMatchFileSnapshot(
        join(GOLDEN, 'examples', `${name}.kafka.sql`),
      );
    });
  }
});

describe('settings', () => {
  test('a number of instances becomes Flink’s default parallelism; auto leaves the cluster’s', () => {
    const base = CASES.sinks!;
    const set = (parallelism: number | 'auto') =>
      compile({ ...base, settings: { ...base.settings, parallelism } }).statements.filter((s) =>
        s.includes('parallelism'),
      );
    expect(set(3)).toEqual(["SET 'parallelism.default' = '3'"]);
    expect(set('auto')).toEqual([]);
  });
});

describe('diagnostics', () => {
  test('a refused node says why, on the node and the field it is about', () => {
    const result = compile(CASES.sinks!);
    const preview = result.diagnostics.find((d) => d.nodeId === 'preview');
    expect(preview).toMatchObject({
      severity: 'error',
      code: 'flink.refused',
      message: expect.stringContaining('The preview sink runs only on the embedded engine'),
    });
    expect(result.complete).toBe(false);
    const file = compile(CASES['source-file-csv-header']!).diagnostics[0];
    expect(file).toMatchObject({ nodeId: 'orders', path: 'nodes[0].config.csv.header' });
  });

  test('nodes after a refused one are not compiled, and say nothing of their own', () => {
    const result = compile(CASES['window-after-updates']!);
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => d.nodeId)).toEqual(['step']);
    expect(result.tables.out).toBeUndefined();
    expect(result.tables.running).toBe('running');
  });

  test('a pipeline that compiles names each node’s table or view after its id', () => {
    const result = compile(CASES['window-tumbling']!);
    expect(result.complete).toBe(true);
    expect(result.tables).toEqual({ orders: 'orders', step: 'step', out: 'out' });
  });
});
