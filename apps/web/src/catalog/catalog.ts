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

/** Entries matching `query` (label, kind or description), grouped by category in catalog order. */
export function groupCatalog(catalog: Catalog, query = ''): CatalogGroup[] {
  const q = query.trim().toLowerCase();
  const matches = catalog.entries.filter(
    (e) =>
      q === '' ||
      e.label.toLowerCase().includes(q) ||
      e.kind.toLowerCase().includes(q) ||
      e.description.toLowerCase().includes(q),
  );
  const categories = [
    ...OPERATOR_CATEGORIES,
    ...new Set(matches.map((e) => e.category).filter((c) => !OPERATOR_CATEGORIES.includes(c))),
  ];
  return categories
    .map((category) => ({
      category,
      label: CATEGORY_LABELS[category as OperatorCategory] ?? category,
      entries: matches.filter((e) => e.category === category),
    }))
    .filter((g) => g.entries.length > 0);
}
