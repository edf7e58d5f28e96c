import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { validatePipeline } from '../validation/validate.js';
import { describeCatalog, getOperator, OPERATORS } from './catalog.js';
import { OPERATOR_CATEGORIES } from './operator.js';

describe('the operator catalog', () => {
  it('declares every kind the format issue names, once', () => {
    const kinds = OPERATORS.map((o) => o.kind);
    expect(new Set(kinds).size).toBe(kinds.length);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'source.datagen',
        'source.file',
        'transform.filter',
        'transform.map',
        'transform.union',
        'transform.aggregate',
        'transform.topn',
        'window.aggregate',
        'join.window',
        'join.interval',
        'join.regular',
        'sink.file',
        'sink.console',
        'sink.preview',
        'sink.blackhole',
      ]),
    );
  });

  it.each(OPERATORS.map((o) => [o.kind, o] as const))(
    '%s has valid defaults and a category',
    (_, op) => {
      expect(OPERATOR_CATEGORIES).toContain(op.category);
      expect(Value.Check(op.config, op.defaults)).toBe(true);
      expect(op.kind.startsWith(`${op.category}.`)).toBe(true);
      expect(op.description.length).toBeGreaterThan(20);
    },
  );

  it('finds kinds by name, and only known ones', () => {
    expect(getOperator('transform.filter')?.label).toBe('Filter');
    expect(getOperator('constructor')).toBeUndefined();
    expect(getOperator('__proto__')).toBeUndefined();
  });

  it('describes itself as plain JSON', () => {
    const json = JSON.parse(JSON.stringify(describeCatalog()));
    expect(json).toHaveLength(OPERATORS.length);
    expect(json[0]).toMatchObject({ kind: 'source.datagen', config: { type: 'object' } });
  });

  it('declares which sinks show results live, and what: rows or lines', () => {
    const shown = describeCatalog().flatMap((e) => (e.shows ? [[e.kind, e.shows]] : []));
    expect(shown).toEqual([
      ['sink.console', 'lines'],
      ['sink.preview', 'rows'],
    ]);
    for (const op of OPERATORS.filter((o) => o.shows)) expect(op.category).toBe('sink');
  });

  it('declares of every sink, and only of sinks, whether it can deliver exactly once', () => {
    const delivery = describeCatalog().flatMap((e) => (e.delivery ? [[e.kind, e.delivery]] : []));
    expect(delivery).toEqual([
      ['sink.file', 'exactly-once'],
      ['sink.kafka', 'exactly-once'],
      ['sink.postgres', 'exactly-once'],
      ['sink.rabbitmq', 'at-least-once'],
      ['sink.console', 'at-least-once'],
      ['sink.preview', 'at-least-once'],
      ['sink.blackhole', 'at-least-once'],
    ]);
    for (const op of OPERATORS) expect(op.delivery !== undefined).toBe(op.category === 'sink');
  });

  it('a pipeline of the default datagen into each sink is valid', () => {
    for (const sink of OPERATORS.filter((o) => o.category === 'sink')) {
      const diagnostics = validatePipeline({
        format: 'sluice.pipeline/v1',
        name: 'defaults',
        nodes: [
          { id: 'gen', kind: 'source.datagen', config: getOperator('source.datagen')!.defaults },
          { id: 'sink', kind: sink.kind, config: sink.defaults },
        ],
        edges: [{ id: 'e', source: 'gen', target: 'sink' }],
      });
      expect(diagnostics).toEqual([]);
    }
  });
});
