// The operator catalog as the server sends it (`GET /api/catalog`), indexed
// for the palette, the nodes and the forms. Nothing here knows any kind.
import type { describeCatalog, OperatorCategory } from '@sluice/shared';
import { OPERATOR_CATEGORIES } from '@sluice/shared';

export type CatalogEntry = ReturnType<typeof describeCatalog>[number];

export interface Catalog {
  readonly entries: readonly CatalogEntry[];
  readonly byKind: ReadonlyMap<string, CatalogEntry>;
}

export function indexCatalog(entries: readonly CatalogEntry[]): Catalog {
  return { entries, byKind: new Map(entries.map((e) => [e.kind, e])) };
}

export const EMPTY_CATALOG: Catalog = indexCatalog([]);

const CATEGORY_LABELS: Record<OperatorCategory, string> = {
  source: 'Sources',
  transform: 'Transforms',
  window: 'Windows',
  join: 'Joins',
  sink: 'Sinks',
};

export interface CatalogGroup {
  readonly category: string;
  readonly label: string;
  readonly entries: readonly CatalogEntry[];
}

/**
 * How well an entry matches a lower-cased query; lower is better, undefined is
 * no match. The name counts before the kind, and both before the description:
 * "top" finds Top N before a Kafka source whose description mentions topics.
 */
function matchRank(entry: CatalogEntry, q: string): number | undefined {
  if (q === '') return 0;
  const label = entry.label.toLowerCase();
  if (label === q) return 0;
  if (label.startsWith(q)) return 1;
  if (startsAWord(label, q)) return 2;
  if (label.includes(q)) return 3;
  const kind = entry.kind.toLowerCase();
  if (kind.includes(q)) return startsAWord(kind, q) || kind.startsWith(q) ? 4 : 5;
  const description = entry.description.toLowerCase();
  if (startsAWord(description, q) || description.startsWith(q)) return 6;
  if (description.includes(q)) return 7;
  return undefined;
}

function startsAWord(text: string, q: string): boolean {
  for (let at = text.indexOf(q); at !== -1; at = text.indexOf(q, at + 1))
    if (at === 0 || !/[a-z0-9]/.test(text.charAt(at - 1))) return true;
  return false;
}

/** Entries matching `query` (name, kind or description), best match first, catalog order among equals. */
export function searchCatalog(catalog: Catalog, query = ''): CatalogEntry[] {
  const q = query.trim().toLowerCase();
  return catalog.entries
    .map((entry, index) => ({ entry, index, rank: matchRank(entry, q) }))
    .filter((m): m is { entry: CatalogEntry; index: number; rank: number } => m.rank !== undefined)
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map((m) => m.entry);
}

/**
 * Entries matching `query`, grouped by category: in catalog order with no
 * query; with one, the group of the best match first and the best first in each.
 */
export function groupCatalog(catalog: Catalog, query = ''): CatalogGroup[] {
  const matches = searchCatalog(catalog, query);
  const known = query.trim() === '' ? [...OPERATOR_CATEGORIES] : [];
  const categories = [...new Set([...known, ...matches.map((e) => e.category)])];
  return categories
    .map((category) => ({
      category,
      label: CATEGORY_LABELS[category as OperatorCategory] ?? category,
      entries: matches.filter((e) => e.category === category),
    }))
    .filter((g) => g.entries.length > 0);
}
