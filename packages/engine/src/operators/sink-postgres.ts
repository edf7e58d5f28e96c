import { randomUUID } from 'node:crypto';
import type { sinkPostgres } from '@sluice/shared';
import type pg from 'pg';
import type { Row } from '../batch.js';
import { PostgresConnection } from '../io/postgres/connection.js';
import {
  columnsOf,
  createTableSql,
  quotedTable,
  rowValues,
  schemaOf,
  type TableShape,
  valueProblem,
  writeSql,
} from '../io/postgres/table.js';
import type { EnvironmentOf, Operator, OperatorContext } from '../operator.js';
import { validDuration } from './compile.js';
import { namedSecret } from './secret.js';

/**
 * The rows of one checkpoint, set aside at its cut, to write once it is
 * durable. Records as they came (rows never change once made), so an upgrade
 * that changes the input's fields writes them by name.
 */
interface Epoch {
  readonly epoch: number;
  readonly rows: readonly Row[];
}

/** Where exactly-once sinks note the last checkpoint they wrote, beside the table. */
const PROGRESS_TABLE = 'sluice_sink_progress';

/**
 * Writes records to a PostgreSQL table: added, or upserted by key. Each batch
 * is one statement with one array per column.
 *
 * Without checkpoints (or with delivery at least once), at least once: rows
 * are written when a batch is full or has waited the flush interval, and
 * `flush` resolves only once every row is written, so the sources save their
 * position after it. A restart may write some rows again; with keys, they
 * replace themselves.
 *
 * With checkpoints, exactly once: the rows between two cuts are set aside in
 * the sink's state at the cut, and written once the checkpoint is durable, in
 * one transaction that also records the checkpoint's number for this sink in
 * `sluice_sink_progress`. A job restored from a checkpoint writes its rows
 * unless that table says they are there already.
 */
export function createPostgresSink(env: EnvironmentOf<typeof sinkPostgres>): Operator {
  const { config } = env;
  const nodeId = env.node.id;
  const fields = env.inputs[0]?.[0]?.fields ?? [];
  const shape: TableShape = {
    table: config.table,
    fields,
    ...(config.keyFields ? { keyFields: config.keyFields } : {}),
  };
  const insert = writeSql(shape);
  const { value: password, unset } = namedSecret(
    env,
    config.passwordSecret,
    `PostgreSQL sink '${nodeId}'`,
  );
  const connection = new PostgresConnection({
    host: config.host,
    port: config.port,
    database: config.database,
    user: config.user,
    ...(password === undefined ? {} : { password }),
    applicationName: `sluice ${nodeId}`,
    unreachableTimeoutMs: validDuration(config.unreachableTimeout),
    now: () => env.clock.now(),
  });
  const describe = (error: unknown) =>
    error === unset ? unset! : describeError(error, nodeId, config, connection.where);
  let prepared: Promise<void> | undefined;
  /** Creates what the sink needs once, on the first write. */
  /** Work on the connection; never tried without the password it needs. */
  const run = <T>(work: (client: pg.Client) => Promise<T>): Promise<T> =>
    unset ? Promise.reject(unset) : connection.run(work);
  const prepare = (client: pg.Client, progress: boolean) => {
    prepared ??= (async () => {
      if (config.createTable) await client.query(createTableSql(shape));
      if (progress) {
        const schema = schemaOf(config.table);
        await client.query(
          `CREATE TABLE IF NOT EXISTS ${schema ? `${schema}.` : ''}${PROGRESS_TABLE} (sink text PRIMARY KEY, epoch bigint NOT NULL, written_at timestamptz NOT NULL DEFAULT now())`,
        );
      }
    })().catch((error: unknown) => {
      prepared = undefined;
      throw error;
    });
    return prepared;
  };
  /** Writes rows in statements of at most a batch each. */
  /** The rows PostgreSQL will take; the others go to the error output, saying which field and why. */
  const takeable = (rows: readonly Row[], context: Pick<OperatorContext, 'error'>): Row[] => {
    const kept: Row[] = [];
    for (const row of rows) {
      const problem = valueProblem(row, fields);
      if (problem === undefined) kept.push(row);
      else context.error(row, `${config.table}: ${problem}`);
    }
    return kept;
  };
  const writeRows = async (client: pg.Client, rows: readonly Row[]) => {
    for (let from = 0; from < rows.length; from += config.batchSize) {
      const chunk = rows.slice(from, from + config.batchSize).map((r) => rowValues(r, fields));
      await client.query(insert, columnsOf(chunk, fields, config.keyFields));
    }
  };
  if (env.checkpointing && config.delivery === 'exactly-once') return exactlyOnce();
  return atLeastOnce();

  function atLeastOnce(): Operator {
    const flushMs = validDuration(config.flushInterval);
    let waiting: Row[] = [];
    let inFlight = 0;
    let written = 0;
    let statements = 0;
    let chain: Promise<void> = Promise.resolve();
    let broken: Error | undefined;
    let timerSet = false;
    // The table is there as soon as the job runs, before its first rows (a window may take a while).
    chain = run((client) => prepare(client, false)).catch((error: unknown) => {
      broken ??= describe(error);
    });
    /** Sends the rows waiting, in order after what is being written. */
    const send = () => {
      if (waiting.length === 0) return;
      const rows = waiting;
      waiting = [];
      inFlight += rows.length;
      chain = chain.then(async () => {
        if (broken) return;
        try {
          await run(async (client) => {
            await prepare(client, false);
            await writeRows(client, rows);
          });
          written += rows.length;
          statements += Math.ceil(rows.length / config.batchSize);
        } catch (error) {
          broken ??= describe(error);
        } finally {
          inFlight -= rows.length;
        }
      });
    };
    return {
      process(batch, _input, context: OperatorContext) {
        if (broken) throw broken;
        if (batch.rows.length === 0) return;
        for (const row of takeable(batch.rows, context)) waiting.push(row);
        if (waiting.length >= config.batchSize) send();
        else if (!timerSet) {
          timerSet = true;
          context.setTimer(context.now() + flushMs);
        }
      },
      onTimer() {
        timerSet = false;
        send();
      },
      async flush() {
        send();
        await chain;
        if (broken) throw broken;
      },
      backlog: () => waiting.length + inFlight,
      metrics: () => ({ rowsWritten: written, statements, unwritten: waiting.length + inFlight }),
      condition: () => connection.condition(),
      close: () => connection.close(),
    };
  }

  function exactlyOnce(): Operator {
    const instance = env.instance ? `.i${env.instance.index}` : '';
    const state = env.state;
    // Numbers the sink's epochs apart from any earlier run under the same job id whose state
    // is gone (a removed state directory, an upgrade that dropped it): those epochs are not these.
    const writer = state.cell('writer', randomUUID());
    const sinkId = () => `${env.jobId ?? 'job'}${instance}.${nodeId}.${writer.value}`;
    /** The number the next cut gives its rows. */
    const next = state.cell('nextEpoch', 1);
    /** Cut and not yet known to be written, oldest first. */
    const pending = state.cell<readonly Epoch[]>('pending', []);
    const written = state.cell('rowsWritten', 0);
    const committed = state.cell('transactionsCommitted', 0);
    let current: Row[] = [];
    /** Per cut of this run, the last epoch it set aside: what its checkpoint makes writable. */
    const cuts = new Map<number, number>();
    let writing: Promise<void> | undefined;
    let broken: Error | undefined;
    const progress = `${schemaOf(config.table) ? `${schemaOf(config.table)}.` : ''}${PROGRESS_TABLE}`;

    /** One epoch in one transaction, unless the progress table says it is there: whether it wrote. */
    const writeEpoch = (epoch: Epoch) =>
      run(async (client) => {
        await prepare(client, true);
        await client.query('BEGIN');
        try {
          const found = await client.query<{ epoch: string }>(
            `SELECT epoch FROM ${progress} WHERE sink = $1 FOR UPDATE`,
            [sinkId()],
          );
          const done = found.rows[0] !== undefined && Number(found.rows[0].epoch) >= epoch.epoch;
          if (!done) {
            await writeRows(client, epoch.rows);
            await client.query(
              `INSERT INTO ${progress} (sink, epoch) VALUES ($1, $2) ON CONFLICT (sink) DO UPDATE SET epoch = EXCLUDED.epoch, written_at = now()`,
              [sinkId(), epoch.epoch],
            );
          }
          await client.query('COMMIT');
          return !done;
        } catch (error) {
          await client.query('ROLLBACK').catch(() => {});
          throw error;
        }
      });
    /** Writes the pending epochs up to `upTo`, in order, after any write under way. */
    const writePending = (upTo: number) => {
      const previous = writing;
      const run = (async () => {
        await previous;
        try {
          while (pending.value.length > 0 && pending.value[0]!.epoch <= upTo) {
            const epoch = pending.value[0]!;
            if (await writeEpoch(epoch)) {
              written.value += epoch.rows.length;
              committed.value++;
            }
            pending.value = pending.value.slice(1);
          }
        } catch (error) {
          broken ??= describe(error);
        }
      })();
      writing = run;
      return run;
    };
    // Once the job has restored the state (or not): what the restored checkpoint set aside is
    // durable with it, and written now.
    queueMicrotask(() => {
      const restored = pending.value.at(-1);
      if (restored) void writePending(restored.epoch);
      else
        writing = run((client) => prepare(client, true)).catch((error: unknown) => {
          broken ??= describe(error);
        });
    });
    return {
      process(batch, _input, context) {
        if (broken) throw broken;
        for (const row of takeable(batch.rows, context)) current.push(row);
      },
      cut(cut) {
        if (current.length > 0) {
          pending.value = [...pending.value, { epoch: next.value, rows: current }];
          next.value++;
          current = [];
        }
        cuts.set(cut, next.value - 1);
      },
      async checkpointed(cut) {
        const upTo = cuts.get(cut);
        for (const earlier of cuts.keys()) if (earlier <= cut) cuts.delete(earlier);
        if (upTo !== undefined) await writePending(upTo);
        if (broken) throw broken;
      },
      async flush() {
        await writing;
        if (broken) throw broken;
      },
      backlog: () => pending.value.reduce((n, e) => n + e.rows.length, 0),
      metrics: () => ({
        rowsWritten: written.value,
        transactionsCommitted: committed.value,
        awaitingCheckpoint: current.length + pending.value.reduce((n, e) => n + e.rows.length, 0),
      }),
      condition: () => connection.condition(),
      close: () => connection.close(),
    };
  }
}

/** PostgreSQL's words, with where and, for the usual mistakes, what to change. */
function describeError(
  error: unknown,
  nodeId: string,
  config: { table: string; user: string; passwordSecret?: string; createTable: boolean },
  where: string,
): Error {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  const hints: Record<string, string> = {
    '28P01': `check the password in the secret ${config.passwordSecret ?? '(none named)'} for user ${config.user}`,
    '28000': `the server does not let user ${config.user} connect from here (pg_hba.conf)`,
    '3D000': 'create the database, or name another',
    '42P01': config.createTable
      ? 'the table is missing'
      : 'the table is missing: create it, or turn on Create the table',
    '42P10':
      'the table has no primary key or unique constraint on the Upsert by fields: add one, or let the sink create the table',
    '42703': 'the table has no column of that name: every input field needs a column',
    '42501': `user ${config.user} may not write to ${config.table}: grant it INSERT (and UPDATE for upserts)`,
  };
  const hint = typeof code === 'string' ? hints[code] : undefined;
  return new Error(
    `PostgreSQL sink '${nodeId}' could not write to ${quotedTable(config.table)} at ${where}: ${message}${hint ? ` (${hint})` : ''}`,
  );
}
