// Test fixtures: the real catalog, as the server serves it (through JSON).
import { describeCatalog, PIPELINE_FORMAT, type Pipeline } from '@sluice/shared';
import { type Catalog, type CatalogEntry, indexCatalog } from '../catalog/catalog.js';
import { createEditorStore, type EditorStore } from '../store/store.js';

export function testCatalog(): Catalog {
  return indexCatalog(JSON.parse(JSON.stringify(describeCatalog())) as CatalogEntry[]);
}

/** datagen → filter → console, plus an unconnected union. */
export function samplePipeline(): Pipeline {
  return {
    format: PIPELINE_FORMAT,
    name: 'Sample',
    nodes: [
      {
        id: 'gen',
        kind: 'source.datagen',
        label: 'Generator',
        position: { x: 0, y: 0 },
        config: {
          fields: [
            { name: 'id', type: 'long', generator: { kind: 'sequence' } },
            { name: 'amount', type: 'double', generator: { kind: 'random', min: 0, max: 10 } },
          ],
        },
      },
      {
        id: 'big',
        kind: 'transform.filter',
        position: { x: 250, y: 0 },
        config: { where: 'amount > 5' },
      },
      { id: 'out', kind: 'sink.console', position: { x: 500, y: 0 }, config: {} },
      { id: 'all', kind: 'transform.union', position: { x: 250, y: 200 }, config: {} },
    ],
    edges: [
      { id: 'e1', source: 'gen', target: 'big' },
      { id: 'e2', source: 'big', target: 'out' },
    ],
  };
}

export function testStore(doc: Pipeline = samplePipeline()): EditorStore {
  const store = createEditorStore({ catalog: testCatalog() });
  store.getState().open(doc, 'p1', 1);
  return store;
}
