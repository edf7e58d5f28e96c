// The steps whose results show below the canvas while a job runs: those whose
// kind declares what it shows, so a new kind needs nothing written here.
import type { PipelineNode, ShownResults } from '@sluice/shared';
import type { Catalog } from '../catalog/catalog.js';

export interface ResultStep {
  readonly id: string;
  readonly label: string;
  readonly shows: ShownResults;
}

export function resultSteps(nodes: readonly PipelineNode[], catalog: Catalog): ResultStep[] {
  return nodes.flatMap((n) => {
    const entry = catalog.byKind.get(n.kind);
    return entry?.shows ? [{ id: n.id, label: n.label ?? entry.label, shows: entry.shows }] : [];
  });
}

/** The labels of the kinds that show results, for the hint in an empty panel: "Console or Preview". */
export function resultKindLabels(catalog: Catalog): string {
  const labels = catalog.entries.filter((e) => e.shows).map((e) => e.label);
  return labels.length > 1
    ? `${labels.slice(0, -1).join(', ')} or ${labels.at(-1)}`
    : (labels[0] ?? '');
}
