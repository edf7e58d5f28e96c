// Kafka message values turned into rows by the source's format and schema,
// with the file source's decoding; and rows turned into message values.
import type { Field } from '@sluice/shared';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { Row } from '../../batch.js';
import { describeError, RowDecoder } from '../decode.js';
import { jsonEncoder } from '../encode.js';

/** A row, or why the value is not one. */
export type Decoded = { row: Row; problem?: undefined } | { row?: undefined; problem: string };

/**
 * The decoding of a message value. Never throws: any failure to decode one
 * message (whatever its cause) is that message's problem, so a single bad
 * message cannot stop the job.
 */
export function valueDecoder(
  format: 'json' | 'csv' | 'raw',
  fields: readonly Field[],
  delimiter = ',',
): (value: Buffer) => Decoded {
  const decode = unsafeDecoder(format, fields, delimiter);
  return (value) => {
    try {
      return decode(value);
    } catch (error) {
      return { problem: `could not be decoded (${describeError(error)})` };
    }
  };
}

function unsafeDecoder(
  format: 'json' | 'csv' | 'raw',
  fields: readonly Field[],
  delimiter: string,
): (value: Buffer) => Decoded {
  if (format === 'raw') {
    const name = fields[0]!.name;
    return (value) => ({ row: { [name]: value.toString('utf8') } });
  }
  const decoder = new RowDecoder(fields);
  if (format === 'json') {
    return (value) => {
      let object: unknown;
      try {
        object = JSON.parse(value.toString('utf8'));
      } catch (error) {
        return { problem: `not valid JSON (${(error as Error).message})` };
      }
      if (typeof object !== 'object' || object === null || Array.isArray(object))
        return { problem: 'not a JSON object' };
      const row = decoder.fromJson(object as Record<string, unknown>);
      return row ? { row } : { problem: decoder.jsonProblems(object as Record<string, unknown>) };
    };
  }
  const columns = fields.map((_, i) => i);
  return (value) => {
    let records: string[][];
    try {
      records = parse(value, { delimiter, relax_column_count: true });
    } catch (error) {
      return { problem: `not a CSV line (${(error as Error).message})` };
    }
    if (records.length !== 1) return { problem: `${records.length} CSV lines in one message` };
    const cells = records[0]!;
    const row = decoder.fromCells(cells, columns);
    return row ? { row } : { problem: decoder.cellProblems(cells, columns) };
  };
}

export function valueEncoder(
  format: 'json' | 'csv',
  fields: readonly Field[],
  delimiter = ',',
): (row: Row) => string {
  const encode = jsonEncoder(fields);
  if (format === 'json') return (row) => JSON.stringify(encode(row));
  const names = fields.map((f) => f.name);
  return (row) => {
    const values = encode(row);
    const cells = names.map((n) => {
      const v = values[n];
      if (v === null || v === undefined) return '';
      if (typeof v === 'number' && !Number.isFinite(v)) return '';
      return String(v);
    });
    return stringify([cells], { delimiter, quoted_match: /^$/ }).replace(/\r?\n$/, '');
  };
}
