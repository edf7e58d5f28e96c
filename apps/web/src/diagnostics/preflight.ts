// What the server can check and the browser cannot, before a deploy: that the
// files sources read are in the data directory, that the topics Kafka sources
// read exist. Asked after a pause in editing (only for pipelines that read
// files or Kafka), and again every few seconds while something is missing, so
// a file copied in or a topic created clears the node without an edit. The
// findings are placed on their nodes like the validator's, and kept across
// re-analyses for as long as the node they are about is unchanged.
import type { Diagnostic, Pipeline } from '@sluice/shared';
import { api } from '../api/client.js';
import type { EditorStore } from '../store/store.js';

export const PREFLIGHT_DELAY_MS = 1_000;
export const PREFLIGHT_RECHECK_MS = 5_000;

/** The node kinds whose settings the server can check against what is there. */
const CHECKED_KINDS = new Set(['source.file', 'source.kafka']);

/** Findings of one check, with the settings of each node as they were checked. */
export interface Findings {
  readonly diagnostics: readonly Diagnostic[];
  readonly checked: ReadonlyMap<string, string>;
}

const settingsOf = (doc: Pipeline, nodeId: string): string | undefined => {
  const node = doc.nodes.find((n) => n.id === nodeId);
  return node && JSON.stringify([node.kind, node.config ?? {}]);
};

/** The findings that still hold for `doc`: those of nodes whose settings have not changed since. */
export function standingFindings(findings: Findings | null, doc: Pipeline): Diagnostic[] {
  if (!findings) return [];
  return findings.diagnostics.filter(
    (d) => d.nodeId !== undefined && settingsOf(doc, d.nodeId) === findings.checked.get(d.nodeId),
  );
}

/**
 * Starts checking the open document; the live analysis places what is found
 * on the nodes. Returns the function that stops it.
 */
export function startPreflight(
  store: EditorStore,
  options: { delay?: number; recheck?: number } = {},
): () => void {
  const delay = options.delay ?? PREFLIGHT_DELAY_MS;
  const recheck = options.recheck ?? PREFLIGHT_RECHECK_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  let asked = 0;

  const schedule = (ms: number) => {
    clearTimeout(timer);
    timer = setTimeout(() => void check(), ms);
  };
  const check = async () => {
    const state = store.getState();
    const doc = state.document;
    // Live mode shows a running job: nothing to deploy, nothing to check.
    if (state.live.job !== null || state.signedOut) return;
    if (!doc.nodes.some((n) => CHECKED_KINDS.has(n.kind))) {
      if (state.preflight) state.setPreflight(null);
      return;
    }
    const ask = ++asked;
    let diagnostics: Diagnostic[];
    try {
      diagnostics = (await api.preflight(doc)).diagnostics;
    } catch {
      // A server that is away, or a draft it cannot read: the deploy says why.
      return;
    }
    if (stopped || ask !== asked || store.getState().document !== doc) return;
    const checked = new Map(
      doc.nodes.filter((n) => CHECKED_KINDS.has(n.kind)).map((n) => [n.id, settingsOf(doc, n.id)!]),
    );
    const findings: Findings = { diagnostics, checked };
    store.getState().setPreflight(findings);
    if (diagnostics.length > 0) schedule(recheck);
  };

  const unsubscribe = store.subscribe((state, previous) => {
    if (state.document !== previous.document) schedule(delay);
    else if (previous.live.job !== null && state.live.job === null) schedule(delay);
  });
  schedule(delay);
  return () => {
    stopped = true;
    clearTimeout(timer);
    unsubscribe();
  };
}
