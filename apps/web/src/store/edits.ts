// Edits the canvas makes directly (drop, connect), as store operations.
import type { CatalogEntry } from '../catalog/catalog.js';
import { connectionProblem } from '../document/connection.js';
import {
  addEdge,
  addNodes,
  type Endpoints,
  edgeIds,
  newEdge,
  newNode,
  nodeIds,
  type Position,
} from '../document/document.js';
import type { EditorStore } from './store.js';

/** Adds a node of `entry`'s kind at `at` (flow coordinates) and selects it. */
export function addOperator(store: EditorStore, entry: CatalogEntry, at: Position): string {
  const { document, edit } = store.getState();
  const node = newNode(entry, at, nodeIds(document));
  edit(`Add ${entry.label}`, (doc) => addNodes(doc, [node]), {
    select: { nodes: new Set([node.id]), edges: new Set() },
  });
  return node.id;
}

/** Connects two ports; a connection the canvas would refuse changes nothing. */
export function connect(store: EditorStore, ends: Endpoints): void {
  const { edit, catalog } = store.getState();
  edit('Connect', (doc) =>
    connectionProblem(doc, catalog, ends) === undefined
      ? addEdge(doc, newEdge(ends, edgeIds(doc)))
      : doc,
  );
}
