// The property the upgrade planner exists for: a restore into an edited
// pipeline never feeds state into an operator whose state-shaping config
// changed. The oracle reads the catalog's declarations directly (a field
// declared to shape the state, a new kind, a new node), not the plan.
import { deserialize, serialize } from 'node:v8';
import {
  getOperator,
  type Pipeline,
  type PipelineNode,
  planUpgrade,
  withDefaults,
} from '@sluice/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyedDatagen } from '../testing/pipelines.js';
import type { JobSnapshot } from './checkpoint.js';
import { ManualClock } from './clock.js';
import { type JobOptions, startJob } from './job.js';

const gen = keyedDatagen('gen', { count: 3000, seed: 9, step: '50ms', maxDelay: '1s' });

const AGGREGATES = [
  [{ name: 'records', fn: 'count' }],
  [
    { name: 'records', fn: 'count' },
    { name: 'total', fn: 'sum', expr: 'n' },
  ],
  [{ name: 'how_many', fn: 'count' }],
  [
    { name: 'total', fn: 'sum', expr: 'n' },
    { name: 'records', fn: 'count' },
  ],
  [{ name: 'records', fn: 'count_distinct', expr: 'n' }],
];

/** One version of the pipeline: generator, maybe a filter, a window or a dedupe, a preview. */
const version = fc.record({
  filter: fc.boolean(),
  step: fc.constantFrom('window.aggregate', 'transform.dedupe'),
  size: fc.constantFrom('1m', '30s'),
  session: fc.boolean(),
  groupBy: fc.constantFrom(['key'], [] as string[]),
  aggregates: fc.integer({ min: 0, max: AGGREGATES.length - 1 }),
  lateness: fc.constantFrom(undefined, '10s', '1m'),
  retention: fc.constantFrom('5s', '20s'),
  capacity: fc.constantFrom(5000, 10_000),
});
type Version = typeof version extends fc.Arbitrary<infer V> ? V : never;

function build(v: Version): Pipeline {
  const step: PipelineNode =
    v.step === 'window.aggregate'
      ? {
          id: 'step',
          kind: 'window.aggregate',
          config: {
            window: v.session
              ? { type: 'session', gap: '200ms' }
              : { type: 'tumbling', size: v.size },
            groupBy: v.groupBy,
            aggregates: AGGREGATES[v.aggregates],
            ...(v.lateness ? { allowedLateness: v.lateness } : {}),
          },
        }
      : {
          id: 'step',
          kind: 'transform.dedupe',
          config: { key: v.groupBy.length > 0 ? v.groupBy : ['n'], retention: v.retention },
        };
  const nodes: PipelineNode[] = [gen];
  const edges: [string, string][] = [];
  let last = 'gen';
  if (v.filter) {
    nodes.push({ id: 'filter', kind: 'transform.filter', config: { where: 'MOD(n, 5) <> 1' } });
    edges.push([last, 'filter']);
    last = 'filter';
  }
  nodes.push(step, { id: 'out', kind: 'sink.preview', config: { capacity: v.capacity } });
  edges.push([last, 'step'], ['step', 'out']);
  return {
    format: 'sluice.pipeline/v1',
    name: 'property',
    nodes,
    edges: edges.map(([source, target]) => ({ id: `${source}-${target}`, source, target })),
  };
}

async function snapshotAfter(p: Pipeline, batches: number): Promise<JobSnapshot> {
  let asked = 0;
  let snapshot: Buffer | undefined;
  const job = startJob(p, {
    stopRequested: () => {
      if (++asked !== batches) return undefined;
      snapshot = serialize(job.snapshot());
      return { drain: false };
    },
  });
  await job.done;
  if (!snapshot) throw new Error(`the job ended before ${batches} batches`);
  return deserialize(snapshot) as JobSnapshot;
}

/** A job's snapshot as it starts, before any batch: what it was restored with. */
async function startingState(p: Pipeline, options: JobOptions): Promise<JobSnapshot> {
  const job = startJob(p, { ...options, clock: new ManualClock(0) });
  const snapshot = deserialize(serialize(job.snapshot())) as JobSnapshot;
  await job.stop();
  return snapshot;
}

/** Whether a field the kind declares as shaping its state differs, straight from the catalog. */
function shapingChanged(before: PipelineNode | undefined, after: PipelineNode): boolean {
  if (!before || before.kind !== after.kind) return true;
  const definition = getOperator(after.kind)!;
  const b = withDefaults(definition, before.config) as Record<string, unknown>;
  const a = withDefaults(definition, after.config) as Record<string, unknown>;
  return Object.entries(definition.state.fields).some(
    ([key, role]) => role === 'shapes' && JSON.stringify(b[key]) !== JSON.stringify(a[key]),
  );
}

describe('a restore into an edited pipeline (property)', () => {
  it('never feeds state into a node whose state-shaping config changed', async () => {
    await fc.assert(
      fc.asyncProperty(version, version, fc.integer({ min: 2, max: 4 }), async (v1, v2, cut) => {
        const before = build(v1);
        const after = build(v2);
        const snapshot = await snapshotAfter(before, cut);
        const plan = planUpgrade(before, after);
        const restored = await startingState(after, {
          restore: { snapshot, upgrade: { before, plan } },
        });
        const fresh = await startingState(after, {});
        const old = new Map(before.nodes.map((n) => [n.id, n]));
        for (const node of after.nodes) {
          const entry = plan.nodes.find((n) => n.id === node.id)!;
          if (shapingChanged(old.get(node.id), node)) {
            // Nothing of the old state: exactly what a node that never ran holds.
            expect(entry.status === 'dropped' || entry.status === 'new').toBe(true);
            expect(restored.nodes[node.id]!.state).toEqual(fresh.nodes[node.id]!.state);
            expect(restored.nodes[node.id]!.position).toBeUndefined();
          } else if (entry.status === 'kept') {
            expect(restored.nodes[node.id]!.state).toEqual(snapshot.nodes[node.id]!.state);
          }
        }
      }),
      { numRuns: 25 },
    );
  });
});
