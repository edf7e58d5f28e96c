import type { Diagnostic } from '@sluice/shared';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { updateNode } from '../document/document.js';
import { testStore } from '../testing/fixtures.js';
import { ANALYSIS_DELAY_MS, startLiveAnalysis } from './effects.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

const missing: Diagnostic = {
  severity: 'error',
  code: 'file-unreadable',
  message: "The file cannot be read: 'files/in.jsonl' does not exist.",
  nodeId: 'gen',
};

describe('the live analysis with pre-flight findings', () => {
  it('places findings on their node at once, and drops them once that node is edited', () => {
    const store = testStore();
    const stop = startLiveAnalysis(store);
    const doc = store.getState().document;
    const settings = (id: string) => {
      const node = doc.nodes.find((n) => n.id === id)!;
      return JSON.stringify([node.kind, node.config ?? {}]);
    };
    store.getState().setPreflight({
      diagnostics: [missing],
      checked: new Map([['gen', settings('gen')]]),
    });
    // No wait: the findings changed, not the document.
    expect(store.getState().analysis.diagnostics).toContainEqual(missing);
    expect(store.getState().analysis.byNode.get('gen')?.errors).toBe(1);

    // Another node edited: the finding stands.
    store.getState().edit('Label', (d) => updateNode(d, 'big', (n) => ({ ...n, label: 'Big' })));
    vi.advanceTimersByTime(ANALYSIS_DELAY_MS);
    expect(store.getState().analysis.diagnostics).toContainEqual(missing);

    // Its own node edited: the finding no longer says anything about it.
    store
      .getState()
      .edit('Config', (d) => updateNode(d, 'gen', (n) => ({ ...n, config: { fields: [] } })));
    vi.advanceTimersByTime(ANALYSIS_DELAY_MS);
    expect(store.getState().analysis.diagnostics).not.toContainEqual(missing);
    stop();
  });
});
