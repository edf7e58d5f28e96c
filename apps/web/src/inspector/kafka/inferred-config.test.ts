import type { InferredSchema } from '@sluice/shared';
import { describe, expect, it } from 'vitest';
import { applyInferredSchema } from './inferred-config.js';

const inferred = (over: Partial<InferredSchema>): InferredSchema => ({
  format: 'json',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'ts', type: 'timestamp' },
  ],
  skipped: [],
  sampled: 2,
  unreadable: 0,
  ...over,
});

describe('applyInferredSchema', () => {
  it('replaces format and schema and sets event time, keeping other settings', () => {
    const config = { topics: ['t'], format: 'raw', schema: [{ name: 'value', type: 'string' }] };
    expect(applyInferredSchema(config, inferred({ eventTimeField: 'ts' }))).toEqual({
      topics: ['t'],
      format: 'json',
      schema: inferred({}).fields,
      eventTime: { field: 'ts', maxOutOfOrderness: '5s' },
    });
  });

  it('keeps an existing out-of-orderness and idle timeout', () => {
    const config = { eventTime: { field: 'old', maxOutOfOrderness: '1m', idleTimeout: '10s' } };
    expect(applyInferredSchema(config, inferred({ eventTimeField: 'ts' })).eventTime).toEqual({
      field: 'ts',
      maxOutOfOrderness: '1m',
      idleTimeout: '10s',
    });
  });

  it('drops event time on a field that is gone, keeps it on one still there', () => {
    expect(
      applyInferredSchema({ eventTime: { field: 'old' } }, inferred({})).eventTime,
    ).toBeUndefined();
    expect(applyInferredSchema({ eventTime: { field: 'id' } }, inferred({})).eventTime).toEqual({
      field: 'id',
    });
  });

  it('sets the CSV delimiter only when it is not a comma', () => {
    expect(applyInferredSchema({}, inferred({ format: 'csv', delimiter: ';' })).csv).toEqual({
      delimiter: ';',
    });
    expect(
      applyInferredSchema({ csv: { delimiter: ';' } }, inferred({ format: 'csv', delimiter: ',' })),
    ).not.toHaveProperty('csv');
  });
});
