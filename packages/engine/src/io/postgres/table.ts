// The SQL a PostgreSQL sink sends: the table made from the stream's fields,
// and one statement per batch that takes each column as one array parameter
// (`unnest`), so a batch of any size is one round trip with a fixed number of
// parameters. Identifiers are always quoted; values are always parameters.
import type { Field, FieldType } from '@sluice/shared';
import pg from 'pg';
import type { Row } from '../../batch.js';

const SQL_TYPES: Record<FieldType, string> = {
  string: 'text',
  long: 'bigint',
  double: 'double precision',
  boolean: 'boolean',
  timestamp: 'timestamptz',
};

/** `results` or `reports.results`, quoted part by part. */
export function quotedTable(table: string): string {
  return table
    .split('.')
    .map((part) => pg.escapeIdentifier(part))
    .join('.');
}

/** The schema part of a table name, quoted, for the sink's own tables beside it. */
export function schemaOf(table: string): string | undefined {
  const dot = table.indexOf('.');
  return dot < 0 ? undefined : pg.escapeIdentifier(table.slice(0, dot));
}

export interface TableShape {
  readonly table: string;
  readonly fields: readonly Field[];
  /** Upsert by these fields; absent: every row is added. */
  readonly keyFields?: readonly string[];
}

export function createTableSql({ table, fields, keyFields }: TableShape): string {
  const columns = fields.map((f) => {
    const notNull = keyFields?.includes(f.name) ? ' NOT NULL' : '';
    return `${pg.escapeIdentifier(f.name)} ${SQL_TYPES[f.type]}${notNull}`;
  });
  if (keyFields && keyFields.length > 0)
    columns.push(`PRIMARY KEY (${keyFields.map((k) => pg.escapeIdentifier(k)).join(', ')})`);
  return `CREATE TABLE IF NOT EXISTS ${quotedTable(table)} (${columns.join(', ')})`;
}

/** The statement writing one batch, its parameters being `columnsOf`'s arrays. */
export function writeSql({ table, fields, keyFields }: TableShape): string {
  const names = fields.map((f) => pg.escapeIdentifier(f.name));
  // Timestamps travel as epoch milliseconds (a double: every year PostgreSQL has, exactly).
  const unnest = fields
    .map(
      (f, i) => `$${i + 1}::${f.type === 'timestamp' ? 'double precision' : SQL_TYPES[f.type]}[]`,
    )
    .join(', ');
  const columns = fields.map((_, i) => `c${i}`);
  const select = fields.map((f, i) =>
    f.type === 'timestamp' ? `to_timestamp(c${i} / 1000.0)` : `c${i}`,
  );
  let sql = `INSERT INTO ${quotedTable(table)} (${names.join(', ')}) SELECT ${select.join(', ')} FROM unnest(${unnest}) AS u(${columns.join(', ')})`;
  if (keyFields && keyFields.length > 0) {
    const keys = keyFields.map((k) => pg.escapeIdentifier(k));
    const rest = fields.filter((f) => !keyFields.includes(f.name));
    sql += ` ON CONFLICT (${keys.join(', ')}) DO ${
      rest.length === 0
        ? 'NOTHING'
        : `UPDATE SET ${rest
            .map((f) => `${pg.escapeIdentifier(f.name)} = EXCLUDED.${pg.escapeIdentifier(f.name)}`)
            .join(', ')}`
    }`;
  }
  return sql;
}

/** A row as the values of its columns, in the fields' order, as PostgreSQL takes them. */
export function rowValues(row: Row, fields: readonly Field[]): unknown[] {
  const values = new Array<unknown>(fields.length);
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    const value = row[field.name];
    values[i] = value === undefined ? null : value;
  }
  return values;
}

/**
 * Why PostgreSQL would refuse a row, naming the field: text with a NUL
 * character, a long that is not a safe whole number, a timestamp that is not
 * a finite time. Undefined when it takes it.
 */
export function valueProblem(row: Row, fields: readonly Field[]): string | undefined {
  for (const field of fields) {
    const value = row[field.name];
    if (value === null || value === undefined) continue;
    if (field.type === 'string' && typeof value === 'string' && value.includes('\u0000'))
      return `${field.name}: the text holds a NUL character, which PostgreSQL cannot store`;
    if (field.type === 'long' && !Number.isSafeInteger(value))
      return `${field.name}: ${String(value)} is not a whole number a bigint holds exactly`;
    if (field.type === 'timestamp' && !Number.isFinite(value))
      return `${field.name}: ${String(value)} is not a time`;
  }
  return undefined;
}

/**
 * Rows (as `rowValues`) as one array per column. With keys, only the last row
 * of each key: one statement cannot update a row twice, and the last is the
 * one an update stream means.
 */
export function columnsOf(
  rows: readonly (readonly unknown[])[],
  fields: readonly Field[],
  keyFields?: readonly string[],
): unknown[][] {
  let kept = rows;
  if (keyFields && keyFields.length > 0) {
    const at = keyFields.map((k) => fields.findIndex((f) => f.name === k));
    const last = new Map<string, readonly unknown[]>();
    for (const row of rows) {
      const key = JSON.stringify(at.map((i) => row[i]));
      last.delete(key); // keeps the order of each key's last row
      last.set(key, row);
    }
    kept = [...last.values()];
  }
  return fields.map((_, i) => kept.map((row) => row[i]));
}
