// The SQL side of the windowed golden tests: Flink's window semantics written
// in DuckDB, over tables whose `ts` is epoch ms and `seq` the arrival order.
import type { AggregateConfig } from '@sluice/shared';

/** Stands for "no watermark yet" (−∞) in BIGINT arithmetic. */
const NO_WATERMARK = -(2 ** 53);

/**
 * The table with the watermark each record met on arrival: the largest time
 * of the records before it, minus the bound, minus 1 ms.
 */
export function withWatermark(table: string, boundMs: number): string {
  return `SELECT *, COALESCE(max(ts) OVER (ORDER BY seq ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) - ${boundMs} - 1, ${NO_WATERMARK}) AS watermark FROM ${relation(table)}`;
}

/** Each record once per window it is assigned to (tumbling when slide = size), epoch-aligned. */
export function assignWindows(source: string, sizeMs: number, slideMs = sizeMs): string {
  const last = `s.ts - ((s.ts % ${slideMs}) + ${slideMs}) % ${slideMs}`;
  return `SELECT s.*, ${last} - r.i * ${slideMs} AS window_start, ${last} - r.i * ${slideMs} + ${sizeMs} AS window_end
    FROM ${relation(source)} s CROSS JOIN range(0, ${sizeMs / slideMs}) AS r(i)`;
}

/**
 * Session windows per key: a record starts a new session when it is more than
 * `gap` after the previous one of its key (windows [t, t + gap) that touch
 * merge, as Flink's TimeWindow.intersects). Adds `window_start`, `window_end`.
 */
export function assignSessions(source: string, keys: readonly string[], gapMs: number): string {
  const partition = keys.length > 0 ? `PARTITION BY ${keys.join(', ')}` : '';
  return `SELECT *,
      min(ts) OVER (${partition}${partition ? ', ' : 'PARTITION BY '}session) AS window_start,
      max(ts) OVER (${partition}${partition ? ', ' : 'PARTITION BY '}session) + ${gapMs} AS window_end
    FROM (
      SELECT *, sum(starts) OVER (${partition} ORDER BY ts, seq ROWS UNBOUNDED PRECEDING) AS session
      FROM (
        SELECT *, CASE WHEN ts - lag(ts) OVER (${partition} ORDER BY ts, seq) <= ${gapMs} THEN 0 ELSE 1 END AS starts
        FROM ${relation(source)}
      )
    )`;
}

/**
 * One SQL aggregate per Sluice aggregate. first/last are by event time, ties
 * by arrival; `where` is SQL's FILTER. The expressions are written so they
 * mean the same in both languages.
 */
export function aggregateColumns(aggregates: readonly AggregateConfig[]): string {
  return aggregates
    .map((a) => {
      const filter = a.where === undefined ? '' : ` FILTER (WHERE ${a.where})`;
      const call =
        a.fn === 'count'
          ? `count(${a.expr ?? '*'})`
          : a.fn === 'count_distinct'
            ? `count(DISTINCT ${a.expr})`
            : a.fn === 'first' || a.fn === 'last'
              ? `${a.fn}(${a.expr} ORDER BY ts, seq)`
              : `${a.fn}(${a.expr})`;
      return `${call}${filter} AS ${a.name}`;
    })
    .join(',\n      ');
}

/** The aggregate query over windowed rows: one row per key and window. */
export function windowAggregate(
  windowed: string,
  keys: readonly string[],
  aggregates: readonly AggregateConfig[],
): string {
  const group = [...keys, 'window_start', 'window_end'].join(', ');
  return `SELECT ${group},\n      ${aggregateColumns(aggregates)}\n    FROM ${relation(windowed)} GROUP BY ${group}`;
}

/** A table name as it is, a query in parentheses: the functions here take either. */
function relation(source: string): string {
  return /^\w+$/.test(source) ? source : `(${source})`;
}
