// A preview's rows as chart series: one line per group (the text fields, such
// as a category) of one numeric field, over the window's end (or start).
import type { PreviewView, Row } from '@sluice/shared';

/** Lines drawn at most; further groups are left out of the chart (not of the table). */
export const MAX_SERIES = 8;
const TIME_FIELDS = ['window_end', 'window_start'];

export interface ChartSeries {
  readonly label: string;
  readonly values: readonly (number | null)[];
}

export interface ChartData {
  readonly timeField: string;
  readonly valueField: string;
  /** Seconds since the epoch, ascending, as uPlot wants. */
  readonly x: readonly number[];
  readonly series: readonly ChartSeries[];
  readonly omitted: number;
  /** The windows' length in seconds (end − start), when the rows say. */
  readonly stepS: number | null;
}

export function timeFieldOf(fields: PreviewView['fields']): string | undefined {
  return TIME_FIELDS.find((name) => fields.some((f) => f.name === name));
}

/** The numeric fields worth charting: neither the window's bounds nor text. */
export function valueFieldsOf(fields: PreviewView['fields']): string[] {
  return fields
    .filter((f) => (f.type === 'long' || f.type === 'double') && !TIME_FIELDS.includes(f.name))
    .map((f) => f.name);
}

export function chartData(view: PreviewView, valueField: string): ChartData | null {
  const timeField = timeFieldOf(view.fields);
  if (!timeField || !valueFieldsOf(view.fields).includes(valueField)) return null;
  const groupFields = view.fields
    .filter((f) => f.type === 'string' || f.type === 'boolean')
    .map((f) => f.name);
  const groupOf = (row: Row) =>
    groupFields.length === 0 ? valueField : groupFields.map((g) => String(row[g])).join(' · ');
  const xs = new Set<number>();
  const groups = new Map<string, Map<number, number>>();
  for (const row of view.rows) {
    const t = row[timeField];
    const v = row[valueField];
    if (typeof t !== 'number') continue;
    xs.add(t);
    const group = groupOf(row);
    let points = groups.get(group);
    if (!points) {
      points = new Map();
      groups.set(group, points);
    }
    // A window that fired again (an update) replaces its earlier value.
    points.set(t, typeof v === 'number' ? v : Number.NaN);
  }
  const x = [...xs].sort((a, b) => a - b);
  const labels = [...groups.keys()].sort();
  const series = labels.slice(0, MAX_SERIES).map((label) => {
    const points = groups.get(label)!;
    return {
      label,
      values: x.map((t) => {
        const v = points.get(t);
        return v === undefined || Number.isNaN(v) ? null : v;
      }),
    };
  });
  const first = view.rows.find(
    (row) => typeof row.window_start === 'number' && typeof row.window_end === 'number',
  );
  const stepS = first ? ((first.window_end as number) - (first.window_start as number)) / 1000 : 0;
  return {
    timeField,
    valueField,
    x: x.map((t) => t / 1000),
    series,
    omitted: Math.max(0, labels.length - MAX_SERIES),
    stepS: stepS > 0 ? stepS : null,
  };
}
