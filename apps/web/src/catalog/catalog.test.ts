import { describeCatalog } from '@sluice/shared';
import { describe, expect, it } from 'vitest';
import { groupCatalog, indexCatalog, searchCatalog } from './catalog.js';

const catalog = indexCatalog(describeCatalog());
const labels = (query: string) => searchCatalog(catalog, query).map((e) => e.label);

describe('searching the catalog', () => {
  it('ranks a name before a description that mentions the word', () => {
    // Kafka's description says "topics"; Top N is named so.
    expect(labels('top')[0]).toBe('Top N');
    expect(labels('top')).toContain('Kafka source');
    expect(labels('top').indexOf('Top N')).toBeLessThan(labels('top').indexOf('Kafka source'));
  });

  it('puts a whole name first, then names that start so, then words of names', () => {
    expect(labels('filter')[0]).toBe('Filter');
    expect(labels('kafka').slice(0, 2)).toEqual(['Kafka source', 'Kafka sink']);
    expect(labels('join').slice(0, 3)).toEqual(['Window join', 'Interval join', 'Regular join']);
    expect(labels('window')[0]).toBe('Window aggregate');
  });

  it('finds a kind by its id, and keeps catalog order with no query', () => {
    expect(labels('transform.topn')).toEqual(['Top N']);
    expect(labels('')).toEqual(catalog.entries.map((e) => e.label));
    expect(labels('no such operator')).toEqual([]);
  });

  it('groups with the best match first when searching, in catalog order otherwise', () => {
    expect(groupCatalog(catalog, 'top')[0]?.entries[0]?.label).toBe('Top N');
    expect(groupCatalog(catalog).map((g) => g.category)).toEqual([
      'source',
      'transform',
      'window',
      'join',
      'sink',
    ]);
  });
});
