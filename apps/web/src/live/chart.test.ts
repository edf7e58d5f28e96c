import type { PreviewView } from '@sluice/shared';
import { describe, expect, it } from 'vitest';
import { chartData, MAX_SERIES, timeFieldOf, valueFieldsOf } from './chart.js';

const fields = [
  { name: 'window_start', type: 'timestamp' },
  { name: 'window_end', type: 'timestamp' },
  { name: 'category', type: 'string' },
  { name: 'orders', type: 'long' },
  { name: 'revenue', type: 'double' },
];

const view = (rows: PreviewView['rows']): PreviewView => ({
  fields,
  rows,
  times: rows.map(() => 0),
  total: rows.length,
});

describe('preview charts', () => {
  it('charts the numbers over the window end, one line per group', () => {
    expect(timeFieldOf(fields)).toBe('window_end');
    expect(valueFieldsOf(fields)).toEqual(['orders', 'revenue']);
    const data = chartData(
      view([
        { window_end: 10_000, category: 'books', orders: 4, revenue: 1 },
        { window_end: 10_000, category: 'games', orders: 3, revenue: 2 },
        { window_end: 20_000, category: 'books', orders: 5, revenue: 3 },
      ]),
      'orders',
    );
    expect(data?.x).toEqual([10, 20]);
    expect(data?.series).toEqual([
      { label: 'books', values: [4, 5] },
      { label: 'games', values: [3, null] },
    ]);
  });

  it('has no chart without window times or for a field that is not a number', () => {
    expect(chartData({ ...view([]), fields: [{ name: 'n', type: 'long' }] }, 'n')).toBeNull();
    expect(chartData(view([]), 'category')).toBeNull();
  });

  it('draws at most a few groups and says how many it left out', () => {
    const rows = Array.from({ length: MAX_SERIES + 3 }, (_, i) => ({
      window_end: 1000,
      category: `c${String(i).padStart(2, '0')}`,
      orders: i,
    }));
    const data = chartData(view(rows), 'orders');
    expect(data?.series).toHaveLength(MAX_SERIES);
    expect(data?.omitted).toBe(3);
  });

  it('knows the windows’ length from their bounds, for the axis', () => {
    const data = chartData(
      view([{ window_start: 8_000, window_end: 10_000, category: 'books', orders: 4, revenue: 1 }]),
      'orders',
    );
    expect(data?.stepS).toBe(2);
    expect(chartData(view([{ window_end: 10_000, orders: 1 }]), 'orders')?.stepS).toBeNull();
  });
});
