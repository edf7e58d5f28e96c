// The live analysis of the document: diagnostics from @sluice/shared, the
// inferred schemas, and per-node and per-edge counts for the badges.
import { compileToFlinkSql } from '@sluice/flink';
import { analyzePipeline, type Diagnostic, type Pipeline, type StreamSchema } from '@sluice/shared';

export interface Counts {
  readonly errors: number;
  readonly warnings: number;
}

export interface Analysis {
  readonly diagnostics: readonly Diagnostic[];
  readonly schemas: ReadonlyMap<string, Readonly<Record<string, StreamSchema>>>;
  readonly byNode: ReadonlyMap<string, Counts>;
  readonly byEdge: ReadonlyMap<string, Counts>;
}

export const EMPTY_ANALYSIS: Analysis = {
  diagnostics: [],
  schemas: new Map(),
  byNode: new Map(),
  byEdge: new Map(),
};

/** Whether the pipeline runs on a Flink cluster (settings.target "flink:NAME"). */
export function onFlink(doc: Pipeline): boolean {
  return doc.settings?.target?.startsWith('flink:') ?? false;
}

export function analyze(doc: Pipeline): Analysis {
  const analysis = analyzePipeline(doc);
  const { schemas } = analysis;
  let diagnostics = analysis.diagnostics;
  // On Flink, what the compiler says of each node too: the nodes it refuses, where results differ.
  if (onFlink(doc) && !diagnostics.some((d) => d.severity === 'error')) {
    diagnostics = [...diagnostics, ...compileToFlinkSql(doc, schemas).diagnostics];
  }
  return {
    diagnostics,
    schemas,
    byNode: countBy(diagnostics, (d) => d.nodeId),
    byEdge: countBy(diagnostics, (d) => d.edgeId),
  };
}

/** The analysis with findings the server made added, counted on their nodes like the rest. */
export function withFindings(analysis: Analysis, findings: readonly Diagnostic[]): Analysis {
  // The server says again some of what the page found itself (on Flink, the compiler's findings): once.
  const key = (d: Diagnostic) => `${d.severity}\u0000${d.code}\u0000${d.nodeId}\u0000${d.message}`;
  const known = new Set(analysis.diagnostics.map(key));
  const added = findings.filter((d) => !known.has(key(d)));
  if (added.length === 0) return analysis;
  const diagnostics = [...analysis.diagnostics, ...added];
  return {
    ...analysis,
    diagnostics,
    byNode: countBy(diagnostics, (d) => d.nodeId),
    byEdge: countBy(diagnostics, (d) => d.edgeId),
  };
}

function countBy(
  diagnostics: readonly Diagnostic[],
  key: (d: Diagnostic) => string | undefined,
): Map<string, Counts> {
  const counts = new Map<string, Counts>();
  for (const d of diagnostics) {
    const k = key(d);
    if (k === undefined) continue;
    const c = counts.get(k) ?? { errors: 0, warnings: 0 };
    counts.set(
      k,
      d.severity === 'error' ? { ...c, errors: c.errors + 1 } : { ...c, warnings: c.warnings + 1 },
    );
  }
  return counts;
}
