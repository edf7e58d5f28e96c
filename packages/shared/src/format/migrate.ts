// Older pipeline documents are brought up to the current format by named,
// tested steps. Format v1 is the first, so the list is empty; each future
// format adds one step from the version before it.

export interface Migration {
  readonly name: string;
  readonly from: string;
  readonly to: string;
  migrate(document: Record<string, unknown>): Record<string, unknown>;
}

export const MIGRATIONS: readonly Migration[] = [];

/** Applies every step from the document's format onwards; returns the names applied. */
export function migratePipeline(
  document: Record<string, unknown>,
  migrations: readonly Migration[] = MIGRATIONS,
): { document: Record<string, unknown>; applied: string[] } {
  const applied: string[] = [];
  let current = document;
  for (let step = findStep(current, migrations); step; step = findStep(current, migrations)) {
    current = { ...step.migrate(current), format: step.to };
    applied.push(step.name);
    if (applied.length > migrations.length) break; // a loop in the steps: stop
  }
  return { document: current, applied };
}

function findStep(document: Record<string, unknown>, migrations: readonly Migration[]) {
  return migrations.find((m) => m.from === document.format);
}
