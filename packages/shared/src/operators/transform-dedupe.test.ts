// transform.dedupe: output-schema inference and config checks, through the
// validator as the web app and the server use them.
import { describe, expect, it } from 'vitest';
import { getOperator } from '../catalog/catalog.js';
import type { Pipeline } from '../format/pipeline.js';
import { analyzePipeline, validatePipeline } from '../validation/validate.js';

const CLICKS = [
  { name: 'user', type: 'long' },
  { name: 'page', type: 'string' },
  { name: 'ts', type: 'timestamp' },
];

/** Clicks from a file → dedupe → preview; `eventTime` false drops the source's event time. */
function pipeline(config: Record<string, unknown>, eventTime = true): Pipeline {
  return {
    format: 'sluice.pipeline/v1',
    name: 'Unique clicks',
    nodes: [
      {
        id: 'clicks',
        kind: 'source.file',
        config: {
          path: 'clicks.jsonl',
          format: 'jsonl',
          schema: CLICKS,
          ...(eventTime ? { eventTime: { field: 'ts', maxOutOfOrderness: '1s' } } : {}),
        },
      },
      { id: 'dedupe', kind: 'transform.dedupe', config },
      { id: 'out', kind: 'sink.preview', config: {} },
    ],
    edges: [
      { id: 'e1', source: 'clicks', target: 'dedupe' },
      { id: 'e2', source: 'dedupe', target: 'out' },
    ],
  };
}

const UNIQUE_CLICKS = { key: ['user', 'page'], retention: '10m' };

function errors(config: Record<string, unknown>, eventTime = true) {
  return validatePipeline(pipeline({ ...UNIQUE_CLICKS, ...config }, eventTime))
    .filter((d) => d.severity === 'error')
    .map((d) => ({ code: d.code, path: d.path, message: d.message }));
}

describe('transform.dedupe: output schema', () => {
  it('passes its input through unchanged, on out and on late', () => {
    const { schemas, diagnostics } = analyzePipeline(pipeline(UNIQUE_CLICKS));
    expect(diagnostics).toEqual([]);
    const input = { fields: CLICKS, time: 'event', timeField: 'ts' };
    expect(schemas.get('clicks')?.out).toEqual(input);
    expect(schemas.get('dedupe')).toEqual({ out: input, late: input });
  });

  it('accepts its defaults on the default generator', () => {
    const dedupe = getOperator('transform.dedupe')!;
    const gen = getOperator('source.datagen')!;
    const diagnostics = validatePipeline({
      format: 'sluice.pipeline/v1',
      name: 'defaults',
      nodes: [
        { id: 'gen', kind: 'source.datagen', config: gen.defaults },
        { id: 'dedupe', kind: 'transform.dedupe', config: dedupe.defaults },
        { id: 'out', kind: 'sink.blackhole' },
      ],
      edges: [
        { id: 'e1', source: 'gen', target: 'dedupe' },
        { id: 'e2', source: 'dedupe', target: 'out' },
      ],
    });
    expect(diagnostics).toEqual([]);
    expect(dedupe.outputs.map((p) => p.name)).toEqual(['out', 'late']);
  });
});

describe('transform.dedupe: config checks', () => {
  it('names the fields there when a key field is unknown', () => {
    const found = errors({ key: ['user', 'pgae'] });
    expect(found).toEqual([
      {
        code: 'config.unknown-field',
        path: 'nodes[1].config.key[1]',
        message: expect.stringContaining("Cannot deduplicate on 'pgae': there is no such field."),
      },
    ]);
    expect(found[0]!.message).toContain('Fields here: user, page, ts.');
  });

  it('needs event time on its input, with no processing-time mode to offer', () => {
    const found = errors({}, false);
    expect(found).toEqual([
      expect.objectContaining({ code: 'node.no-event-time', path: 'nodes[1]' }),
    ]);
    expect(found[0]!.message).toContain("Set 'Event time' on its source.");
    expect(found[0]!.message).not.toContain('processing time');
  });

  it('refuses a retention of 0 or longer than 100000 days', () => {
    expect(errors({ retention: '100000d' })).toEqual([]);
    for (const retention of ['0s', '100001d']) {
      expect(errors({ retention })).toEqual([
        expect.objectContaining({ code: 'config.duration', path: 'nodes[1].config.retention' }),
      ]);
    }
  });

  it.each([
    ['no key field', { key: [] }, 'key'],
    ['a key field twice', { key: ['user', 'user'] }, 'key'],
    ['a retention that is no duration', { retention: '10 minutes' }, 'retention'],
    ['an unknown option', { keepLast: true }, 'keepLast'],
  ])('refuses %s at its path', (_, config, path) => {
    expect(errors(config)).toEqual([
      expect.objectContaining({ code: 'config.invalid', path: `nodes[1].config.${path}` }),
    ]);
  });

  it('needs a key and a retention', () => {
    expect(
      validatePipeline(pipeline({}))
        .filter((d) => d.severity === 'error')
        .map((d) => d.path),
    ).toEqual(['nodes[1].config.key', 'nodes[1].config.retention']);
  });
});
