import { describe, expect, it } from 'vitest';
import { analyze } from '../diagnostics/analysis.js';
import { emptyPipeline } from '../document/document.js';
import { isLive } from '../store/store.js';
import { samplePipeline, testStore } from '../testing/fixtures.js';
import { deployBlocker } from './jobs.js';
import { startLive } from './live.js';

describe('deploying', () => {
  it('says why a pipeline cannot be deployed: no steps, problems, or a failed save', () => {
    const store = testStore(emptyPipeline());
    expect(deployBlocker(store.getState())).toMatch(/Add steps/);
    const sample = samplePipeline();
    store.getState().open(sample, 'p1', 1);
    store.getState().setAnalysis(analyze(sample));
    // The sample has an unconnected union: a problem to fix first.
    expect(deployBlocker(store.getState())).toMatch(/Fix the/);
    const fine = { ...sample, nodes: sample.nodes.filter((n) => n.id !== 'all') };
    store.getState().open(fine, 'p1', 2);
    store.getState().setAnalysis(analyze(fine));
    expect(deployBlocker(store.getState())).toBeNull();
    store.getState().setSaveStatus('error');
    expect(deployBlocker(store.getState())).toMatch(/could not be saved/);
  });

  it('makes the document read-only while a job is shown, and opening a document leaves the job', () => {
    const store = testStore();
    store.getState().updateLive(() => startLive({ id: 'j1', status: 'running' }));
    expect(isLive(store.getState())).toBe(true);
    const before = store.getState().document;
    store.getState().edit('Rename', (doc) => ({ ...doc, name: 'Other' }));
    store.getState().moveDuringGesture(new Map([['gen', { x: 9, y: 9 }]]));
    expect(store.getState().document).toBe(before);
    store.getState().open(samplePipeline(), 'p1', 1);
    expect(isLive(store.getState())).toBe(false);
  });
});
