import { describe, expect, it } from 'vitest';
import { inferSchema, sanitizeFieldName, splitCsvLine } from './infer.js';

const json = (...objects: unknown[]) => objects.map((o) => JSON.stringify(o));

describe('inferSchema, JSON', () => {
  it('types fields, in order of first appearance, and suggests the event time', () => {
    const result = inferSchema(
      json(
        { id: 1, name: 'a', price: 2, ok: true, at: '2024-05-01T10:00:00Z' },
        {
          id: 2,
          name: 'b',
          price: 2.5,
          ok: false,
          at: '2024-05-01T10:00:01.250+02:00',
          extra: 'x',
        },
      ),
    );
    expect(result).toEqual({
      format: 'json',
      fields: [
        { name: 'id', type: 'long' },
        { name: 'name', type: 'string' },
        { name: 'price', type: 'double' },
        { name: 'ok', type: 'boolean' },
        { name: 'at', type: 'timestamp' },
        { name: 'extra', type: 'string' },
      ],
      eventTimeField: 'at',
      skipped: [],
      sampled: 2,
      unreadable: 0,
    });
  });

  it('lets nulls and missing keys not decide a type; only nulls is a string', () => {
    const { fields } = inferSchema(
      json({ a: null, b: 1, c: null }, { a: 3.5, c: null }, { b: null, c: null }),
    );
    expect(fields).toEqual([
      { name: 'a', type: 'double' },
      { name: 'b', type: 'long' },
      { name: 'c', type: 'string' },
    ]);
  });

  it('reads epoch milliseconds from 2000 to 2100 as timestamps, smaller numbers as longs', () => {
    const { fields, eventTimeField } = inferSchema(
      json(
        { ts: 1_714_557_600_000, secs: 1_714_557_600, mixed: '2024-05-01T10:00:00Z' },
        { ts: 1_714_557_601_000, secs: 1_714_557_601, mixed: 1_714_557_601_000 },
      ),
    );
    expect(fields).toEqual([
      { name: 'ts', type: 'timestamp' },
      { name: 'secs', type: 'long' },
      { name: 'mixed', type: 'timestamp' },
    ]);
    // A name that says "time" wins over the first timestamp field.
    expect(eventTimeField).toBe('ts');
    // A large id that happens to be in range, mixed with small ones, is a long.
    expect(inferSchema(json({ id: 5 }, { id: 1_714_557_600_000 })).fields).toEqual([
      { name: 'id', type: 'long' },
    ]);
  });

  it('prefers event-time names when there are several timestamps', () => {
    const { eventTimeField } = inferSchema(
      json({ created_at: '2024-05-01T10:00:00Z', event_time: '2024-05-01T09:59:00Z' }),
    );
    expect(eventTimeField).toBe('event_time');
    expect(inferSchema(json({ n: 1 })).eventTimeField).toBeUndefined();
  });

  it('leaves out what the decoder could not read, saying why', () => {
    const result = inferSchema(
      json(
        { ok: 1, nested: { a: 1 }, list: [1], mixed: 1, 'user-id': 'u', __proto__x: 1 },
        { ok: 2, nested: null, list: null, mixed: 'one' },
      ),
    );
    expect(result.fields).toEqual([{ name: 'ok', type: 'long' }]);
    expect(result.skipped.map((s) => s.name)).toEqual([
      'nested',
      'list',
      'mixed',
      'user-id',
      '__proto__x',
    ]);
    expect(result.skipped[0]!.reason).toMatch(/nested/);
    expect(result.skipped[2]!.reason).toMatch(/mixed types \(long, string\)/);
    expect(result.skipped[3]!.reason).toMatch(/not a valid field name/);
    expect(result.skipped[4]!.reason).toMatch(/reserved/);
  });

  it('never lets a __proto__ key reach the prototype', () => {
    const result = inferSchema(['{"__proto__": {"polluted": 1}, "a": 1}']);
    expect(result.fields).toEqual([{ name: 'a', type: 'long' }]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('counts values that are not JSON objects and ignores empty ones', () => {
    const result = inferSchema(['{"a": 1}', 'not json', '[1,2]', null, '', '{"a": 2}']);
    expect(result).toMatchObject({ format: 'json', sampled: 2, unreadable: 2 });
  });

  it('suggests nothing from no values', () => {
    expect(inferSchema([])).toMatchObject({ format: 'json', fields: [], sampled: 0 });
  });
});

describe('inferSchema, CSV', () => {
  it('finds CSV and its delimiter, and names columns when there is no header', () => {
    const result = inferSchema(['1;2.5;true;2024-05-01 10:00:00', '2;3;FALSE;2024-05-01 10:00:01']);
    expect(result).toMatchObject({
      format: 'csv',
      delimiter: ';',
      fields: [
        { name: 'column1', type: 'long' },
        { name: 'column2', type: 'double' },
        { name: 'column3', type: 'boolean' },
        { name: 'column4', type: 'timestamp' },
      ],
      eventTimeField: 'column4',
    });
  });

  it('sanitizes header names, widens mixed columns to string, and reads quoted cells', () => {
    const result = inferSchema(
      [
        'Order ID,unit price,1st,constructor,name,name,notes',
        '1,2,x,a,"Smith, J",b,',
        '2,2.5,3,b,"He said ""hi""",c,',
      ],
      { format: 'csv', header: true },
    );
    expect(result.fields).toEqual([
      { name: 'Order_ID', type: 'long' },
      { name: 'unit_price', type: 'double' },
      { name: '_1st', type: 'string' },
      { name: 'constructor_', type: 'string' },
      { name: 'name', type: 'string' },
      { name: 'name_2', type: 'string' },
      { name: 'notes', type: 'string' },
    ]);
    expect(result.sampled).toBe(2);
  });

  it('falls back to raw text when values are neither JSON nor CSV', () => {
    expect(inferSchema(['hello world', 'another line'])).toMatchObject({
      format: 'raw',
      fields: [{ name: 'value', type: 'string' }],
    });
  });
});

describe('helpers', () => {
  it.each([
    ['user-id', 'user_id'],
    ['  spaced out  ', 'spaced_out'],
    ['9lives', '_9lives'],
    ['__proto__', 'proto'],
    ['prototype', 'prototype_'],
    ['', 'field'],
    ['ünïcode', 'n_code'],
    ['x'.repeat(100), 'x'.repeat(63)],
  ])('sanitizes %j to %j', (text, name) => {
    expect(sanitizeFieldName(text)).toBe(name);
  });

  it('splits CSV lines with quotes', () => {
    expect(splitCsvLine('a,"b,c","d ""e""",', ',')).toEqual(['a', 'b,c', 'd "e"', '']);
  });
});
