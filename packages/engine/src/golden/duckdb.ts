// DuckDB computes the expected results of the golden tests, independently of
// the engine. Timestamps are loaded as TIMESTAMPTZ from the same files and
// turned into epoch ms in SQL (epoch_ms), so values compare as the engine's.
import { DuckDBInstance, DuckDBTimestampTZValue, DuckDBTimestampValue } from '@duckdb/node-api';
import type { Field } from '@sluice/shared';
import type { Row, Value } from './data.js';

const TYPES: { [type in Field['type']]: string } = {
  string: 'VARCHAR',
  long: 'BIGINT',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
  timestamp: 'TIMESTAMPTZ',
};

export interface Database {
  /** Runs statements without results. */
  run(sql: string): Promise<void>;
  /** Rows of a query, with BIGINT as numbers and timestamps as epoch ms. */
  query(sql: string): Promise<Row[]>;
  /** Loads a JSON Lines file into a table, timestamp fields as epoch ms (BIGINT). */
  loadJsonl(table: string, path: string, fields: readonly Field[]): Promise<void>;
  close(): void;
}

export async function openDatabase(): Promise<Database> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  await connection.run("SET TimeZone = 'UTC'");
  const query = async (sql: string) => {
    const reader = await connection.runAndReadAll(sql);
    return reader.getRowObjects().map((row) => {
      const out: Row = {};
      for (const [name, value] of Object.entries(row)) out[name] = plain(name, value);
      return out;
    });
  };
  return {
    run: async (sql) => void (await connection.run(sql)),
    query,
    async loadJsonl(table, path, fields) {
      const columns = fields.map((f) => `${f.name}: '${TYPES[f.type]}'`).join(', ');
      const select = fields
        .map((f) => (f.type === 'timestamp' ? `epoch_ms(${f.name}) AS ${f.name}` : f.name))
        .join(', ');
      await connection.run(
        `CREATE OR REPLACE TABLE ${table} AS SELECT ${select} FROM read_json('${path}', format = 'newline_delimited', columns = {${columns}})`,
      );
    },
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

function plain(name: string, value: unknown): Value {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(-Number.MAX_SAFE_INTEGER)) {
      throw new Error(`${name}: ${value} is beyond a long`);
    }
    return Number(value);
  }
  if (value instanceof DuckDBTimestampTZValue || value instanceof DuckDBTimestampValue) {
    return Number(value.micros / 1000n);
  }
  throw new Error(`${name}: DuckDB gave a value the golden tests do not expect: ${String(value)}`);
}
