// `sluice run --state-dir` reading and writing Kafka, killed with SIGKILL at
// random points while its input arrives, restarted each time, then left to
// catch up and stopped with Ctrl-C: what a correct read_committed consumer
// sees in the output topic is exactly what an uninterrupted run writes — no
// result lost, none twice, none wrong. Three kills per pipeline here;
// SLUICE_FAULTS_FULL=1 (npm run test:faults) runs 20. The broker is the one
// scripts/kafka/global-setup.mjs starts for the `faults-kafka` project.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KafkaAdmin, KafkaWriter } from '@sluice/engine';
import type { Pipeline } from '@sluice/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { committedRecords } from '../../../../scripts/kafka/committed-records.mjs';
import {
  closingMessages,
  expectedUpdates,
  expectedWindows,
  inputMessages,
  PARTITIONS,
} from './kafka-input.js';
import {
  compareUpdates,
  compareWindows,
  type Figures,
  finalUpdates,
  type Result,
  windowsOf,
} from './kafka-oracle.js';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBootstrap: string;
  }
}

const bootstrap = inject('kafkaBootstrap');
const SLUICE = fileURLToPath(new URL('../../bin/sluice.js', import.meta.url));
const KILLS = process.env.SLUICE_FAULTS_FULL === '1' ? 20 : 3;
/** Once complete, the output must stay unchanged this long before the job is stopped. */
const QUIET_MS = 3_000;
/** How long a last run may take to catch up and write everything. */
const CATCH_UP_MS = 90_000;

let dir: string;
let admin: KafkaAdmin;
const stamp = `${Date.now().toString(36)}-${process.pid}`;
const oracleInput = `faults-in-${stamp}`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-kafka-faults-'));
  admin = new KafkaAdmin({ bootstrap, clientId: 'sluice-faults-admin' });
  await admin.createTopic(oracleInput, PARTITIONS);
  const writer = new KafkaWriter({ bootstrap, clientId: 'sluice-faults-input' });
  try {
    writer.send(inputMessages(oracleInput, 0, Number.POSITIVE_INFINITY));
    await writer.flush();
    writer.send(closingMessages(oracleInput));
    await writer.flush();
  } finally {
    await writer.close();
  }
});
afterAll(async () => {
  await admin?.close();
  await rm(dir, { recursive: true, force: true });
});

interface Run {
  readonly input: string;
  readonly output: string;
  readonly group: string;
}

function source(run: Run) {
  return {
    id: 'in',
    kind: 'source.kafka',
    config: {
      bootstrapServers: bootstrap,
      topics: [run.input],
      group: run.group,
      startFrom: 'earliest',
      format: 'json',
      schema: [
        { name: 'key', type: 'string' },
        { name: 'n', type: 'long' },
        { name: 'ts', type: 'timestamp' },
      ],
      eventTime: { field: 'ts', maxOutOfOrderness: '2s' },
      commitInterval: '1s',
    },
  };
}

function sink(run: Run) {
  return {
    id: 'out',
    kind: 'sink.kafka',
    config: {
      bootstrapServers: bootstrap,
      topic: run.output,
      keyField: 'key',
      format: 'json',
      delivery: 'exactly-once',
    },
  };
}

interface Case<E> {
  readonly pipeline: (run: Run) => Pipeline;
  /** What the output must hold, computed from the input. */
  readonly expected: () => E;
  /** How many results the output holds at least once complete. */
  readonly least: (expected: E) => number;
  /** Whether `got` has come as far as the whole input takes it (right or wrong). */
  readonly complete: (got: readonly Result[], expected: E) => boolean;
  /** Lost, duplicated and wrong results of `got` against `expected`. */
  readonly compare: (got: readonly Result[], expected: E) => Figures;
  /** What must be the same as in the uninterrupted run. */
  readonly same: (got: readonly Result[]) => string[];
}

/** Keeps each case's expected type its own. */
const kind = <E>(c: Case<E>) => c as Case<unknown>;

const CASES: Record<string, Case<unknown>> = {
  'Kafka → filter and map → tumbling window → Kafka': kind({
    pipeline: (run) => ({
      format: 'sluice.pipeline/v1',
      name: 'windowed',
      settings: { checkpoints: { interval: '200ms' } },
      nodes: [
        source(run),
        { id: 'some', kind: 'transform.filter', config: { where: 'MOD(n, 5) <> 3' } },
        {
          id: 'shape',
          kind: 'transform.map',
          config: {
            fields: [
              { name: 'key', expr: 'key' },
              { name: 'v', expr: 'n * 2 + 1' },
              { name: 'ts', expr: 'ts' },
            ],
          },
        },
        {
          id: 'win',
          kind: 'window.aggregate',
          config: {
            window: { type: 'tumbling', size: '10s' },
            groupBy: ['key'],
            aggregates: [
              { name: 'records', fn: 'count' },
              { name: 'total', fn: 'sum', expr: 'v' },
            ],
          },
        },
        sink(run),
      ],
      edges: [
        { id: 'e1', source: 'in', target: 'some' },
        { id: 'e2', source: 'some', target: 'shape' },
        { id: 'e3', source: 'shape', target: 'win' },
        { id: 'e4', source: 'win', target: 'out' },
      ],
    }),
    expected: expectedWindows,
    least: (expected) => expected.size,
    complete: (got, expected) => windowsOf(got).size >= expected.size,
    compare: compareWindows,
    same: (got) => [...windowsOf(got)].map(([id, value]) => `${id}|${value}`).sort(),
  }),
  'Kafka → running aggregate → Kafka': kind({
    pipeline: (run) => ({
      format: 'sluice.pipeline/v1',
      name: 'running',
      settings: { checkpoints: { interval: '200ms' } },
      nodes: [
        source(run),
        {
          id: 'agg',
          kind: 'transform.aggregate',
          config: {
            groupBy: ['key'],
            aggregates: [
              { name: 'records', fn: 'count' },
              { name: 'total', fn: 'sum', expr: 'n' },
            ],
          },
        },
        sink(run),
      ],
      edges: [
        { id: 'e1', source: 'in', target: 'agg' },
        { id: 'e2', source: 'agg', target: 'out' },
      ],
    }),
    expected: expectedUpdates,
    // At least one update per key; how many more depends on how the input fell into batches.
    least: (expected) => expected.size,
    complete: (got, expected) => {
      const counts = new Map<string, number>();
      for (const { row } of got)
        counts.set(
          String(row.key),
          Math.max(counts.get(String(row.key)) ?? 0, Number(row.records)),
        );
      return [...expected].every(([key, totals]) => (counts.get(key) ?? 0) >= totals.length);
    },
    compare: compareUpdates,
    same: finalUpdates,
  }),
};

interface Sluice {
  readonly child: ChildProcess;
  readonly done: Promise<number | null>;
  /** The end of what it wrote to stderr so far. */
  stderr(): string;
}

function sluice(args: string[]): Sluice {
  const child = spawn(process.execPath, [SLUICE, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-8000);
  });
  const done = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      if (code !== null && code !== 0) console.error(stderr);
      resolve(code);
    }),
  );
  return { child, done, stderr: () => stderr };
}

/** The output topic's committed records, parsed. */
async function results(topic: string, expected: number, quietMs: number): Promise<Result[]> {
  const records = await committedRecords(bootstrap, topic, {
    expected,
    quietMs,
    timeoutMs: 60_000,
  });
  // One key lives in one partition: partition then offset order is each key's order.
  records.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
  return records.map((r) => ({ key: r.key, row: JSON.parse(r.value) as Record<string, unknown> }));
}

/**
 * Waits until the output is complete and nothing more comes for QUIET_MS, or
 * CATCH_UP_MS have passed (then the figures say what is missing).
 */
async function untilComplete(c: Case<unknown>, topic: string, expected: unknown): Promise<void> {
  const deadline = Date.now() + CATCH_UP_MS;
  for (;;) {
    const got = await results(topic, c.least(expected), QUIET_MS);
    if (c.complete(got, expected)) return;
    if (Date.now() > deadline) {
      console.error(`The output of ${topic} was not complete after ${CATCH_UP_MS / 1000} s.`);
      return;
    }
  }
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The checkpoint a run said it resumed from: '-' when there was none yet,
 * '?' when it was killed before it said.
 */
function resumedFrom(stderr: string, newest: number): string {
  return /Resuming from \w+ (\S+),/.exec(stderr)?.[1] ?? (newest === 0 ? '-' : '?');
}

const CHECKPOINT_FILE = /^checkpoint-(\d+)\.ckpt$/;

/** The id of the newest checkpoint in `state`; 0 when there is none. */
async function latestCheckpoint(state: string): Promise<number> {
  const names = await readdir(state).catch(() => [] as string[]);
  return Math.max(0, ...names.map((n) => Number(CHECKPOINT_FILE.exec(n)?.[1] ?? 0)));
}

/** Waits until `state` holds a checkpoint newer than `after` (a run exiting first is an error). */
async function untilCheckpoint(state: string, after: number, exited: Promise<unknown>) {
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const deadline = Date.now() + 60_000;
  while ((await latestCheckpoint(state)) <= after) {
    if (gone) throw new Error('sluice exited before its first checkpoint');
    if (Date.now() > deadline) throw new Error('no checkpoint within 60 s');
    await wait(25);
  }
}

/**
 * Writes the input to a fresh topic over about `ms`, in global order, then
 * the closing records, so that kills land while records flow.
 */
async function feed(topic: string, ms: number): Promise<void> {
  await admin.createTopic(topic, PARTITIONS);
  const writer = new KafkaWriter({ bootstrap, clientId: 'sluice-faults-feed' });
  try {
    const steps = Math.max(1, Math.round(ms / 100));
    const all = inputMessages(topic, 0, Number.POSITIVE_INFINITY).length;
    const per = Math.ceil(all / steps);
    for (let from = 0; from < all; from += per) {
      writer.send(inputMessages(topic, from, from + per));
      await writer.flush();
      await wait(100);
    }
    writer.send(closingMessages(topic));
    await writer.flush();
  } finally {
    await writer.close();
  }
}

describe('sluice run --state-dir from Kafka to Kafka killed with SIGKILL', () => {
  for (const [name, c] of Object.entries(CASES)) {
    it(`writes exactly the uninterrupted output after ${KILLS} kills: ${name}`, async () => {
      const expected = c.expected();
      const work = join(dir, c.pipeline({ input: '', output: '', group: '' }).name);
      await mkdir(work, { recursive: true });
      const start = async (label: string, run: Run) => {
        const file = join(work, `${label}.json`);
        await writeFile(file, JSON.stringify(c.pipeline(run)));
        return (state: string) => sluice(['run', file, '--data-dir', work, '--state-dir', state]);
      };
      /** Ctrl-C once the output is complete: the job takes a last checkpoint and exits. */
      const finish = async (running: ReturnType<typeof sluice>, run: Run): Promise<Result[]> => {
        const exited = running.done.then((code) => {
          throw new Error(`sluice exited with ${code} before its output was complete`);
        });
        await Promise.race([untilComplete(c, run.output, expected), exited]);
        running.child.kill('SIGINT');
        expect(await running.done).toBe(0);
        return results(run.output, c.least(expected), 1_000);
      };

      // The oracle: the same pipeline, run once without interruption on the whole input.
      const oracleRun = {
        input: oracleInput,
        output: `faults-oracle-${work.split('/').pop()}-${stamp}`,
        group: `faults-oracle-${stamp}-${Math.random()}`,
      };
      await admin.createTopic(oracleRun.output, PARTITIONS);
      const oracleStart = await start('oracle', oracleRun);
      const oracle = await finish(oracleStart(join(work, 'state-oracle')), oracleRun);
      // It is right, computed here from the input: so the engine is deterministic on it.
      expect(c.compare(oracle, expected)).toEqual({
        lost: 0,
        duplicated: 0,
        wrong: 0,
        outOfOrder: 0,
      });

      const chaosRun = {
        input: `faults-in-chaos-${work.split('/').pop()}-${stamp}`,
        output: `faults-chaos-${work.split('/').pop()}-${stamp}`,
        group: `faults-chaos-${stamp}-${Math.random()}`,
      };
      await admin.createTopic(chaosRun.output, PARTITIONS);
      const chaosStart = await start('chaos', chaosRun);
      const state = join(work, 'state-chaos');
      const started = Date.now();
      // The input arrives during the kills: about as long as they take.
      const feeding = feed(chaosRun.input, KILLS * 1_500);
      let kills = 0;
      // Which checkpoint each run resumed from.
      const resumed: string[] = [];
      // How long each killed run took to its first checkpoint.
      const upMs: number[] = [];
      while (kills < KILLS) {
        const before = await latestCheckpoint(state);
        const spawnedAt = Date.now();
        const running = chaosStart(state);
        // One kill in four anywhere in start-up and recovery; the others once
        // the run has taken a checkpoint of its own, up to 1.5 s into its work.
        if (Math.random() < 0.25) await wait(Math.random() * 1_500);
        else {
          await untilCheckpoint(state, before, running.done);
          upMs.push(Date.now() - spawnedAt);
          await wait(Math.random() * 1_500);
        }
        running.child.kill('SIGKILL');
        const code = await running.done;
        if (code !== null) throw new Error(`sluice exited with ${code} instead of being killed`);
        resumed.push(resumedFrom(running.stderr(), before));
        kills++;
      }
      await feeding;
      const newest = await latestCheckpoint(state);
      const last = chaosStart(state);
      const got = await finish(last, chaosRun);
      resumed.push(resumedFrom(last.stderr(), newest));
      const figures = c.compare(got, expected);
      const meanUp = upMs.reduce((a, b) => a + b, 0) / Math.max(1, upMs.length);
      console.log(
        `${name}: runs resumed from checkpoints ${resumed.join(' ')}; first checkpoint ${Math.round(meanUp)} ms after start on average`,
      );
      console.log(
        `${name}: ${kills} kills in ${((Date.now() - started) / 1000).toFixed(1)} s; ${oracle.length} uninterrupted, ${got.length} read; lost ${figures.lost}, duplicated ${figures.duplicated}, wrong ${figures.wrong}, out of order ${figures.outOfOrder}`,
      );
      // What the last run says of itself (its summary, per node), to tell where results went.
      if (figures.lost + figures.duplicated + figures.wrong + figures.outOfOrder > 0)
        console.log(last.stderr());
      expect(figures).toEqual({ lost: 0, duplicated: 0, wrong: 0, outOfOrder: 0 });
      // The same results as the uninterrupted run (for updates: the same last one per key).
      expect(c.same(got)).toEqual(c.same(oracle));
    }, 600_000);
  }
});
