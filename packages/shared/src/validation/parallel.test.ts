import { describe, expect, it } from 'vitest';
import type { Pipeline, PipelineNode, PipelineSettings } from '../format/pipeline.js';
import { validatePipeline } from './validate.js';

/** A Kafka source of bids, with or without the message key as `bidder`. */
function bids(id: string, keyField?: string): PipelineNode {
  return {
    id,
    kind: 'source.kafka',
    config: {
      bootstrapServers: 'localhost:9092',
      topics: [id],
      group: 'g',
      format: 'json',
      schema: [
        { name: 'auction', type: 'long' },
        { name: 'price', type: 'long' },
        { name: 'ts', type: 'timestamp' },
      ],
      ...(keyField ? { keyField } : {}),
      eventTime: { field: 'ts', maxOutOfOrderness: '1s' },
    },
  };
}

const sink: PipelineNode = {
  id: 'out',
  kind: 'sink.kafka',
  config: { bootstrapServers: 'localhost:9092', topic: 'out', format: 'json' },
};

function perKey(groupBy: string[]): PipelineNode {
  return {
    id: 'per_key',
    kind: 'window.aggregate',
    config: {
      window: { type: 'tumbling', size: '1s' },
      groupBy,
      aggregates: [{ name: 'n', fn: 'count' }],
    },
  };
}

/** Nodes in a chain, in order, with these settings. */
function chain(settings: PipelineSettings, ...nodes: PipelineNode[]): Pipeline {
  return {
    format: 'sluice.pipeline/v1',
    name: 'Parallel',
    settings,
    nodes,
    edges: nodes.slice(1).map((n, i) => ({ id: `e${i}`, source: nodes[i]!.id, target: n.id })),
  };
}

const parallelProblems = (p: Pipeline) =>
  validatePipeline(p).filter((d) => d.code.startsWith('parallel.'));

const two: PipelineSettings = { parallelism: 2 };

describe('a pipeline split among instances', () => {
  it('is accepted when its keyed step groups by the Kafka message key', () => {
    const p = chain(two, bids('bids', 'bidder'), perKey(['bidder']), sink);
    expect(validatePipeline(p).filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('is accepted when the key is one of several grouping fields, or carried through a map', () => {
    const renamed: PipelineNode = {
      id: 'rename',
      kind: 'transform.map',
      config: { fields: [{ name: 'who', expr: 'bidder' }], keepInput: true },
    };
    const filter: PipelineNode = {
      id: 'cheap',
      kind: 'transform.filter',
      config: { where: 'price < 10' },
    };
    expect(
      parallelProblems(chain(two, bids('bids', 'bidder'), perKey(['auction', 'bidder']), sink)),
    ).toEqual([]);
    expect(
      parallelProblems(chain(two, bids('bids', 'bidder'), filter, renamed, perKey(['who']), sink)),
    ).toEqual([]);
  });

  it('refuses a keyed step grouped by another field than the message key, and says which', () => {
    const [problem, ...rest] = parallelProblems(
      chain(two, bids('bids', 'bidder'), perKey(['auction']), sink),
    );
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({
      severity: 'error',
      code: 'parallel.not-partitioned',
      nodeId: 'per_key',
      path: 'nodes[1]',
    });
    expect(problem?.message).toBe(
      "Window aggregate 'per_key' keeps state per key, so with 2 instances all records of a key must reach one instance; but its input is partitioned by bidder (the Kafka message key), which is not its key (auction). Add bidder to the keys, or key the topic by auction. Or set the pipeline’s Instances to 1.",
    );
  });

  it('refuses a keyed step when the source names no key field, or a map computes the key anew', () => {
    expect(
      parallelProblems(chain(two, bids('bids'), perKey(['auction']), sink)).map((d) => d.message),
    ).toEqual([expect.stringContaining('is not partitioned by a field')]);
    const computed: PipelineNode = {
      id: 'upper',
      kind: 'transform.map',
      config: { fields: [{ name: 'bidder', expr: 'upper(bidder)' }], keepInput: true },
    };
    expect(
      parallelProblems(chain(two, bids('bids', 'bidder'), computed, perKey(['bidder']), sink)).map(
        (d) => d.code,
      ),
    ).toEqual(['parallel.not-partitioned']);
  });

  it('refuses a step without a key, and sources and sinks that cannot be shared', () => {
    const file: PipelineNode = {
      id: 'lines',
      kind: 'source.file',
      config: { path: 'in.jsonl', format: 'jsonl', schema: [{ name: 'bidder', type: 'string' }] },
    };
    const fileSink: PipelineNode = {
      id: 'written',
      kind: 'sink.file',
      config: { path: 'out.jsonl', format: 'jsonl' },
    };
    expect(
      parallelProblems(chain(two, bids('bids', 'bidder'), perKey([]), fileSink)).map((d) => [
        d.code,
        d.nodeId,
      ]),
    ).toEqual([
      ['parallel.no-key', 'per_key'],
      ['parallel.cannot-split', 'written'],
    ]);
    const [split] = parallelProblems(chain({ parallelism: 'auto' }, file, fileSink));
    expect(split?.message).toBe(
      "File source 'lines' cannot run as one instance per core: A file source reads one file: every instance would read all of it. Or set the pipeline’s Instances to 1.",
    );
  });

  it('checks nothing of the kind with one instance, or on Flink (which splits its own way)', () => {
    const keyedElsewhere = (settings: PipelineSettings) =>
      chain(settings, bids('bids', 'bidder'), perKey(['auction']), sink);
    expect(parallelProblems(keyedElsewhere({}))).toEqual([]);
    expect(parallelProblems(keyedElsewhere({ parallelism: 1 }))).toEqual([]);
    expect(parallelProblems(keyedElsewhere({ parallelism: 2, target: 'flink:local' }))).toEqual([]);
  });

  it('accepts a join whose two sides are keyed by the same pair of its keys, and refuses others', () => {
    const join = (on: { left: string; right: string }[]): Pipeline => ({
      format: 'sluice.pipeline/v1',
      name: 'Join',
      settings: two,
      nodes: [
        bids('left', 'l_bidder'),
        bids('right', 'r_bidder'),
        { id: 'j', kind: 'join.window', config: { window: { type: 'tumbling', size: '1s' }, on } },
        sink,
      ],
      edges: [
        { id: 'l', source: 'left', target: 'j', targetPort: 'left' },
        { id: 'r', source: 'right', target: 'j', targetPort: 'right' },
        { id: 'o', source: 'j', target: 'out' },
      ],
    });
    expect(parallelProblems(join([{ left: 'l_bidder', right: 'r_bidder' }]))).toEqual([]);
    const crossed = join([
      { left: 'l_bidder', right: 'auction' },
      { left: 'auction', right: 'r_bidder' },
    ]);
    expect(parallelProblems(crossed).map((d) => d.message)).toEqual([
      expect.stringContaining('keys that do not pair up (l_bidder and r_bidder)'),
    ]);
  });
});
