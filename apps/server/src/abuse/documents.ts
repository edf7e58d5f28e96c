// Pipeline documents built to hurt: long chains, wide fans at the size limit,
// and configs nested far deeper than any real one.

const FORMAT = 'sluice.pipeline/v1';

const SOURCE = {
  kind: 'source.datagen',
  config: {
    fields: [{ name: 'a', type: 'long', generator: { kind: 'sequence', start: 1 } }],
    rate: 1,
  },
};

/** A source and `n - 1` filters, each feeding the next. */
export function chain(n: number) {
  const nodes: Record<string, unknown>[] = [{ id: 'n0', ...SOURCE }];
  const edges: Record<string, unknown>[] = [];
  for (let i = 1; i < n; i++) {
    nodes.push({ id: `n${i}`, kind: 'transform.filter', config: { where: 'a > 1' } });
    edges.push({ id: `e${i}`, source: `n${i - 1}`, target: `n${i}` });
  }
  return { format: FORMAT, name: `A chain of ${n}`, nodes, edges };
}

/**
 * `n` nodes and `e` connections: a source and unions, each fed by the previous
 * one and repeatedly by the source, so every node has many connections in.
 */
export function wide(n: number, e: number) {
  const nodes: Record<string, unknown>[] = [{ id: 'src', ...SOURCE }];
  for (let i = 1; i < n; i++) nodes.push({ id: `u${i}`, kind: 'transform.union', config: {} });
  const edges: Record<string, unknown>[] = [];
  for (let k = 0; k < e; k++) {
    const target = 1 + (k % (n - 1));
    const source = k < n - 1 || target === 1 ? 'src' : `u${target - 1}`;
    edges.push({ id: `e${k}`, source, target: `u${target}` });
  }
  return { format: FORMAT, name: `${n} nodes, ${e} connections`, nodes, edges };
}

/** Written in place of the deep value by `deep`, for `withNesting` to replace. */
export const DEEP = '__deep__';

/**
 * A small valid pipeline whose filter's config holds a value nested `depth`
 * levels deep; with `depth` omitted, the marker DEEP stands in its place.
 */
export function deep(depth?: number) {
  return {
    format: FORMAT,
    name: `Nested ${depth ?? 'very'} deep`,
    nodes: [
      { id: 'src', ...SOURCE },
      {
        id: 'f',
        kind: 'transform.filter',
        config: { where: 'a > 1', extra: depth === undefined ? DEEP : nested(depth) },
      },
      { id: 'out', kind: 'sink.preview', config: {} },
    ],
    edges: [
      { id: 'e1', source: 'src', target: 'f' },
      { id: 'e2', source: 'f', target: 'out' },
    ],
  };
}

/** Objects and lists in turn, `depth` levels, around a 1. */
export function nested(depth: number): unknown {
  return JSON.parse(nestedText(depth));
}

/** The JSON of `body` with the DEEP marker replaced by `depth` levels of nesting: JSON.stringify cannot write 10 000. */
export function withNesting(body: unknown, depth: number): string {
  return JSON.stringify(body).replace(JSON.stringify(DEEP), nestedText(depth));
}

function nestedText(depth: number): string {
  const open: string[] = [];
  const close: string[] = [];
  for (let i = 0; i < depth; i++) {
    open.push(i % 2 === 0 ? '{"x":' : '[');
    close.push(i % 2 === 0 ? '}' : ']');
  }
  return `${open.join('')}1${close.reverse().join('')}`;
}
