// Auto-layout, left to right, by ELK's layered algorithm. Ports are laid out
// in catalog order so a join's left input stays above its right one. ELK
// places the parts of a pipeline that are not connected to one another in the
// order it is given them, left to right, then down: they are handed over in the
// natural order of their labels, so "Orders 2" comes before "Orders 10".
import type { Pipeline } from '@sluice/shared';
import type { ElkNode } from 'elkjs/lib/elk.bundled.js';
import type { Catalog } from '../catalog/catalog.js';
import { type Position, sourcePort, targetPort } from '../document/document.js';
import { NODE_SIZE, type Size } from '../document/flow.js';

type Elk = InstanceType<typeof import('elkjs/lib/elk.bundled.js').default>;
let elk: Promise<Elk> | undefined;

// ELK is large (about 1.5 MB); it is loaded the first time a layout is asked for.
function loadElk(): Promise<Elk> {
  elk ??= import('elkjs/lib/elk.bundled.js').then(({ default: ELK }) => new ELK());
  return elk;
}

const natural = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** The steps of `doc` in the natural order of their labels (then their ids), as a person reads a list. */
export function naturalOrder(doc: Pipeline, catalog: Catalog): Pipeline['nodes'] {
  const title = (node: Pipeline['nodes'][number]) =>
    node.label || catalog.byKind.get(node.kind)?.label || node.kind;
  return [...doc.nodes].sort(
    (a, b) => natural.compare(title(a), title(b)) || natural.compare(a.id, b.id),
  );
}

/** New positions for every node of `doc`. */
export async function layoutPositions(
  doc: Pipeline,
  catalog: Catalog,
  measured: ReadonlyMap<string, Size>,
): Promise<Map<string, Position>> {
  const nodes = naturalOrder(doc, catalog);
  const graph: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      // Close enough that a short pipeline fits the canvas at a readable zoom.
      'elk.spacing.nodeNode': '32',
      'elk.layered.spacing.nodeNodeBetweenLayers': '56',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
    },
    children: nodes.map((node) => {
      const size = measured.get(node.id) ?? NODE_SIZE;
      const entry = catalog.byKind.get(node.kind);
      return {
        id: node.id,
        width: size.width,
        height: size.height,
        layoutOptions: { 'elk.portConstraints': 'FIXED_ORDER' },
        ports: [
          ...(entry?.inputs ?? []).map((p) => ({
            id: `${node.id}:in:${p.name}`,
            layoutOptions: { 'elk.port.side': 'WEST' },
          })),
          ...(entry?.outputs ?? []).map((p) => ({
            id: `${node.id}:out:${p.name}`,
            layoutOptions: { 'elk.port.side': 'EAST' },
          })),
        ],
      };
    }),
    edges: doc.edges
      .filter((e) => {
        const s = doc.nodes.find((n) => n.id === e.source);
        const t = doc.nodes.find((n) => n.id === e.target);
        const out = s && catalog.byKind.get(s.kind)?.outputs.some((p) => p.name === sourcePort(e));
        const inp = t && catalog.byKind.get(t.kind)?.inputs.some((p) => p.name === targetPort(e));
        return out && inp;
      })
      .map((e) => ({
        id: e.id,
        sources: [`${e.source}:out:${sourcePort(e)}`],
        targets: [`${e.target}:in:${targetPort(e)}`],
      })),
  };
  const result = await (await loadElk()).layout(graph);
  return new Map((result.children ?? []).map((c) => [c.id, { x: c.x ?? 0, y: c.y ?? 0 }]));
}
