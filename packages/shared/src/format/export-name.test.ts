import { describe, expect, it } from 'vitest';
import { exportFileName } from './export-name.js';

describe('exportFileName', () => {
  it('makes a safe export file name from any pipeline name', () => {
    expect(exportFileName('Orders per category every 10 seconds')).toBe(
      'orders-per-category-every-10-seconds.json',
    );
    expect(exportFileName('Café "crème" / ../../etc\r\nX: y')).toBe('cafe-creme-etc-x-y.json');
    expect(exportFileName('日本語')).toBe('pipeline.json');
    expect(exportFileName('x'.repeat(300))).toMatch(/^x{80}\.json$/);
  });
});
