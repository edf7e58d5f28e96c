import { describe, expect, it } from 'vitest';
import { indexCatalog } from '../catalog/catalog.js';
import { samplePipeline, testCatalog } from '../testing/fixtures.js';
import { resultKindLabels, resultSteps } from './result-steps.js';

describe('the steps whose results show below the canvas', () => {
  it('are the nodes whose kind declares what it shows, labelled by the node or else the kind', () => {
    const doc = samplePipeline();
    const nodes = [
      ...doc.nodes,
      { id: 'table', kind: 'sink.preview', label: 'Big orders', config: {} },
      { id: 'gone', kind: 'sink.blackhole', config: {} },
    ];
    expect(resultSteps(nodes, testCatalog())).toEqual([
      { id: 'out', label: 'Console', shows: 'lines' },
      { id: 'table', label: 'Big orders', shows: 'rows' },
    ]);
  });

  it('include a kind added to the catalog, with nothing else written for it', () => {
    const preview = testCatalog().byKind.get('sink.preview')!;
    const catalog = indexCatalog([{ ...preview, kind: 'sink.grid', label: 'Grid' }]);
    expect(resultSteps([{ id: 'g', kind: 'sink.grid', config: {} }], catalog)).toEqual([
      { id: 'g', label: 'Grid', shows: 'rows' },
    ]);
    expect(resultKindLabels(catalog)).toBe('Grid');
  });

  it('are named in the empty panel by the labels of the kinds that show results', () => {
    expect(resultKindLabels(testCatalog())).toBe('Console or Preview');
  });
});
