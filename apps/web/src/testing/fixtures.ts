import {
  describeCatalog,
  type OperatorMetrics,
  PIPELINE_FORMAT,
  type Pipeline,
} from '@sluice/shared';
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

/** A step's figures as the engine reports them: all zero and none, but for what `over` says. */
export function operatorMetrics(
  nodeId: string,
  kind: string,
  over: Partial<OperatorMetrics> = {},
): OperatorMetrics {
  return {
    nodeId,
    kind,
    recordsIn: 0,
    recordsOut: 0,
    bytesIn: 0,
    inPerSecond: 0,
    outPerSecond: 0,
    errors: 0,
    late: 0,
    watermark: null,
    watermarkLagMs: null,
    stateKeys: 0,
    stateBytes: 0,
    busy: 0,
    backlog: 0,
    idle: false,
    extra: {},
    ...over,
  };
}
