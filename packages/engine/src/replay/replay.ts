// A replay: recorded records run again through a branch of a pipeline, with
// nothing of the real job's — no real source, no real sink. The branch is
// every step downstream of the edges given; each of those edges is fed by a
// file source holding its records (with the same event time, and watermarks
// from the records' own times and a bound, so the same input always gives the
// same output), and each sink becomes a capture. What-if replays and `sluice
// test` both run here.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  analyzePipeline,
  type Field,
  getOperator,
  type Pipeline,
  type PipelineEdge,
  type PipelineNode,
  type RecordError,
  type Row,
} from '@sluice/shared';
import { startJob } from '../runtime/job.js';

/** Rows a capture keeps at most (a preview's largest); more are counted, not kept. */
export const REPLAY_ROWS = 10_000;

export interface ReplayInput {
  readonly edgeId: string;
  /** Oldest first; event time is read from the edge's event-time field, as the source did. */
  readonly rows: readonly Row[];
}

export interface ReplayOptions {
  /** The watermark trails the newest event time by this much (as a source's max out-of-orderness). Default '0s'. */
  readonly maxOutOfOrderness?: string;
  /** Where the replay's temporary files go (a fresh directory under it, removed after). Default the OS's. */
  readonly tempDir?: string;
}

export interface ReplayOutput {
  readonly nodeId: string;
  readonly fields: readonly Field[];
  /** In the order the sink got them; the latest REPLAY_ROWS when more came. */
  readonly rows: readonly Row[];
  readonly total: number;
}

export interface ReplayResult {
  readonly outputs: readonly ReplayOutput[];
  readonly errors: readonly RecordError[];
  /** Records the branch set aside as late. */
  readonly late: number;
  /** What makes this replay depend on the clock (processing-time windows), if anything. */
  readonly warnings: readonly string[];
}

/** Why a replay cannot be built: an edge not in the pipeline, or a branch with nothing to feed. */
export class ReplayError extends Error {
  override readonly name = 'ReplayError';
}

const FEED = (edgeId: string) => `replay__${edgeId}`;

/**
 * The branch downstream of `from` (edges): the nodes reachable from their
 * targets, and every edge into those nodes from outside (to be fed too).
 */
export function branchOf(
  pipeline: Pipeline,
  from: readonly string[],
): { nodes: Set<string>; entering: PipelineEdge[] } {
  const nodes = new Set<string>();
  const queue: string[] = [];
  for (const id of from) {
    const edge = pipeline.edges.find((e) => e.id === id);
    if (!edge) throw new ReplayError(`There is no connection '${id}' in '${pipeline.name}'.`);
    queue.push(edge.target);
  }
  while (queue.length > 0) {
    const id = queue.pop()!;
    if (nodes.has(id)) continue;
    nodes.add(id);
    for (const e of pipeline.edges) if (e.source === id) queue.push(e.target);
  }
  const entering = pipeline.edges.filter((e) => nodes.has(e.target) && !nodes.has(e.source));
  return { nodes, entering };
}

/** The edges a whole-pipeline replay is fed on: those leaving its sources. */
export function sourceEdges(pipeline: Pipeline): string[] {
  const sources = new Set(
    pipeline.nodes.filter((n) => getOperator(n.kind)?.category === 'source').map((n) => n.id),
  );
  return pipeline.edges.filter((e) => sources.has(e.source)).map((e) => e.id);
}

/**
 * The pipeline a replay runs: the branch downstream of the inputs' edges, each
 * entering edge fed from a JSON Lines file, each sink a capture. An entering
 * edge with no input given is fed nothing.
 */
export function replayPipeline(
  pipeline: Pipeline,
  from: readonly string[],
  options: ReplayOptions = {},
): { pipeline: Pipeline; files: Map<string, string>; warnings: string[] } {
  const analysis = analyzePipeline(pipeline);
  const { nodes, entering } = branchOf(pipeline, from);
  const files = new Map<string, string>();
  const warnings: string[] = [];
  const feeds: PipelineNode[] = entering.map((edge) => {
    const schema = analysis.schemas.get(edge.source)?.[edge.sourcePort ?? 'out'];
    if (!schema) {
      throw new ReplayError(
        `The records on '${edge.id}' have no known fields: fix the pipeline's problems first.`,
      );
    }
    const path = `${edge.id}.jsonl`;
    files.set(edge.id, path);
    if (schema.timeField === undefined && schema.time !== 'event') {
      const name = (id: string) => pipeline.nodes.find((n) => n.id === id)?.label ?? id;
      warnings.push(
        `The records from ${name(edge.source)} to ${name(edge.target)} have no event-time field: they are replayed in processing time, so windows downstream depend on the clock.`,
      );
    }
    return {
      id: FEED(edge.id),
      kind: 'source.file',
      label: `Recorded ${edge.id}`,
      config: {
        path,
        format: 'jsonl',
        schema: schema.fields.map((f) => ({ name: f.name, type: f.type })),
        ...(schema.timeField === undefined
          ? {}
          : {
              eventTime: {
                field: schema.timeField,
                maxOutOfOrderness: options.maxOutOfOrderness ?? '0s',
              },
            }),
      },
    };
  });
  const branch: PipelineNode[] = pipeline.nodes
    .filter((n) => nodes.has(n.id))
    .map((n) =>
      getOperator(n.kind)?.category === 'sink'
        ? {
            id: n.id,
            kind: 'sink.preview',
            ...(n.label ? { label: n.label } : {}),
            config: { capacity: REPLAY_ROWS },
          }
        : n,
    );
  const edges: PipelineEdge[] = [
    ...entering.map((e) => ({
      id: e.id,
      source: FEED(e.id),
      target: e.target,
      ...(e.targetPort === undefined ? {} : { targetPort: e.targetPort }),
    })),
    ...pipeline.edges.filter((e) => nodes.has(e.source) && nodes.has(e.target)),
  ];
  const { settings: _settings, ...rest } = pipeline;
  return {
    pipeline: { ...rest, name: `${pipeline.name} (replay)`, nodes: [...feeds, ...branch], edges },
    files,
    warnings,
  };
}

/** Runs recorded records through the branch downstream of their edges and returns what each sink got. */
export async function replay(
  pipeline: Pipeline,
  inputs: readonly ReplayInput[],
  options: ReplayOptions = {},
): Promise<ReplayResult> {
  if (inputs.length === 0)
    throw new ReplayError('A replay needs the records of at least one connection.');
  const built = replayPipeline(
    pipeline,
    inputs.map((i) => i.edgeId),
    options,
  );
  const dir = await mkdtemp(join(options.tempDir ?? tmpdir(), 'sluice-replay-'));
  try {
    await mkdir(dir, { recursive: true });
    for (const [edgeId, path] of built.files) {
      const rows = inputs.find((i) => i.edgeId === edgeId)?.rows ?? [];
      await writeFile(join(dir, path), rows.map((row) => `${JSON.stringify(row)}\n`).join(''));
    }
    const job = startJob(built.pipeline, { dataDir: dir, recorder: false, stdout: () => {} });
    const result = await job.done;
    if (result.failure) throw new ReplayError(`The replay failed: ${result.failure.message}`);
    const outputs: ReplayOutput[] = [];
    for (const node of built.pipeline.nodes) {
      if (node.kind !== 'sink.preview') continue;
      const view = job.inspect(node.id);
      if (view && 'rows' in view) {
        outputs.push({
          nodeId: node.id,
          fields: view.fields as Field[],
          rows: view.rows,
          total: view.total,
        });
      }
    }
    return {
      outputs,
      errors: job.errors(),
      late: result.metrics.late,
      warnings: built.warnings,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
