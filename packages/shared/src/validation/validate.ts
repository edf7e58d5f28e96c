import type { TSchema } from 'typebox';
import { getOperator, OPERATORS } from '../catalog/catalog.js';
import { withDefaults } from '../catalog/configured.js';
import type { InferContext, OperatorDefinition } from '../catalog/operator.js';
import { checkExpression } from '../expression/index.js';
import { pipelineLimitProblem } from '../format/limits.js';
import {
  DEFAULT_SOURCE_PORT,
  DEFAULT_TARGET_PORT,
  PIPELINE_FORMAT,
  PipelineSchema,
  type PipelineSettings,
} from '../format/pipeline.js';
import { reservedKeyPaths } from '../format/reserved-keys.js';
import type { StreamSchema } from '../schema/field.js';
import { closestName } from '../schema/suggest.js';
import { checkEdges, checkPorts } from './connections.js';
import { type Diagnostic, joinPath } from './diagnostic.js';
import { findCycle, groupBy, topologicalOrder } from './graph.js';
import { checkParallel } from './parallel.js';
import { schemaProblems } from './schema-problems.js';
import { error, isRecord, type UsableEdge, type UsableNode, warning } from './usable.js';

export interface PipelineAnalysis {
  readonly diagnostics: Diagnostic[];
  /** Inferred output schemas by node id, then output port. */
  readonly schemas: ReadonlyMap<string, Readonly<Record<string, StreamSchema>>>;
}

/** Checks a pipeline document of any shape; never throws. */
export function validatePipeline(input: unknown): Diagnostic[] {
  return analyzePipeline(input).diagnostics;
}

/** Validates a pipeline and infers the schema flowing out of every node it can. */
export function analyzePipeline(input: unknown): PipelineAnalysis {
  const diagnostics: Diagnostic[] = [];
  const schemas = new Map<string, Record<string, StreamSchema>>();
  try {
    analyze(input, diagnostics, schemas);
  } catch (cause) {
    // Defence in depth: a bug here must never take a caller down.
    diagnostics.push({
      severity: 'error',
      code: 'internal',
      message: `Sluice could not finish checking this pipeline (${String(cause)}). Please report this.`,
    });
  }
  return { diagnostics, schemas };
}

function analyze(
  input: unknown,
  out: Diagnostic[],
  schemas: Map<string, Record<string, StreamSchema>>,
): void {
  if (!isRecord(input)) {
    out.push(error('format.not-object', 'A pipeline must be a JSON object.'));
    return;
  }
  // Too big or too deep: said once, and nothing else is read.
  const tooBig = pipelineLimitProblem(input);
  if (tooBig) {
    out.push(tooBig);
    return;
  }
  const reserved = reservedKeyPaths(input);
  if (reserved.length > 0) {
    for (const path of reserved) {
      out.push({
        ...error(
          'format.reserved-key',
          `The key at ${path} is not allowed: keys named __proto__, constructor or prototype are refused.`,
        ),
        path,
      });
    }
    return;
  }
  if (input.format !== PIPELINE_FORMAT) {
    out.push(formatDiagnostic(input.format));
    return;
  }

  const { nodes, edges } = usableParts(input, out);
  documentProblems(input, nodes, out);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  for (const node of nodes) checkNode(node, out);
  const connected = checkEdges(edges, byId, out);

  const { order, cyclic } = topologicalOrder(
    nodes.map((n) => n.id),
    connected,
  );
  if (cyclic.length > 0) {
    const cycle = findCycle(cyclic[0]!, connected, new Set(cyclic));
    out.push({
      ...error(
        'graph.cycle',
        `The pipeline loops back on itself: ${cycle.join(' → ')}. Records must flow one way; remove one of these connections.`,
      ),
      nodeId: cycle[0],
      path: `nodes[${byId.get(cycle[0]!)?.index}]`,
    });
  }
  checkPorts(nodes, connected, out);
  if (nodes.length === 0) {
    out.push(error('pipeline.empty', 'The pipeline is empty: add a source to start.'));
  } else if (!nodes.some((n) => n.operator?.category === 'sink')) {
    out.push(
      warning(
        'pipeline.no-sink',
        'No sink: the results go nowhere. Add a Preview or another sink.',
      ),
    );
  }

  const into = groupBy(connected, (e) => e.target);
  for (const id of order) {
    const node = byId.get(id)!;
    if (!node.operator || !node.configValid) continue;
    const inputs: Record<string, StreamSchema[]> = {};
    let known = true;
    for (const e of into.get(id) ?? []) {
      const schema = schemas.get(e.source)?.[e.sourcePort];
      if (!schema) known = false;
      else {
        inputs[e.targetPort] ??= [];
        inputs[e.targetPort]!.push(schema);
      }
    }
    if (!known) continue;
    const inferred = node.operator.infer(inferContext(node, inputs, out));
    if (inferred) schemas.set(id, { ...inferred });
  }
  checkParallel(
    settingsOf(input),
    nodes,
    connected,
    order,
    (node) => configWithDefaults(node.operator!, node.config),
    out,
  );
}

/** The settings, when they have the shape to be read (else their problems are said already). */
function settingsOf(input: Record<string, unknown>): PipelineSettings | undefined {
  const settings = input.settings;
  if (!isRecord(settings)) return undefined;
  const { parallelism, target } = settings;
  const parallel =
    parallelism === 'auto' || (Number.isInteger(parallelism) && (parallelism as number) >= 1);
  return {
    ...(parallel ? { parallelism: parallelism as number | 'auto' } : {}),
    ...(typeof target === 'string' ? { target } : {}),
  };
}

function formatDiagnostic(format: unknown): Diagnostic {
  if (format === undefined) {
    return {
      ...error(
        'format.missing',
        `This is not a Sluice pipeline: it has no "format" (expected "${PIPELINE_FORMAT}").`,
      ),
      path: 'format',
    };
  }
  const newer = typeof format === 'string' && /^sluice\.pipeline\/v\d+$/.test(format);
  return {
    ...error(
      'format.unknown',
      newer
        ? `The pipeline is in format "${format}", which this version of Sluice cannot read (it reads "${PIPELINE_FORMAT}"). Update Sluice to open it.`
        : `Unknown format ${JSON.stringify(format)}: a Sluice pipeline has "format": "${PIPELINE_FORMAT}".`,
    ),
    path: 'format',
  };
}

/** The nodes and edges that have the minimum shape to be reasoned about. */
function usableParts(input: Record<string, unknown>, out: Diagnostic[]) {
  const nodes: UsableNode[] = [];
  const edges: UsableEdge[] = [];
  const rawNodes = Array.isArray(input.nodes) ? input.nodes : [];
  const rawEdges = Array.isArray(input.edges) ? input.edges : [];
  const seenNodes = new Set<string>();
  rawNodes.forEach((n, index) => {
    if (!isRecord(n) || typeof n.id !== 'string' || typeof n.kind !== 'string') return;
    if (seenNodes.has(n.id)) {
      out.push({
        ...error(
          'node.duplicate-id',
          `Two nodes have the id '${n.id}'. Each node needs its own id.`,
        ),
        nodeId: n.id,
        path: `nodes[${index}].id`,
      });
      return;
    }
    seenNodes.add(n.id);
    const config = isRecord(n.config) ? n.config : {};
    nodes.push({
      index,
      id: n.id,
      kind: n.kind,
      config,
      operator: getOperator(n.kind),
      configValid: false,
    });
  });
  const seenEdges = new Set<string>();
  rawEdges.forEach((e, index) => {
    if (!isRecord(e) || typeof e.id !== 'string') return;
    if (typeof e.source !== 'string' || typeof e.target !== 'string') return;
    if (seenEdges.has(e.id)) {
      out.push({
        ...error(
          'edge.duplicate-id',
          `Two connections have the id '${e.id}'. Each needs its own id.`,
        ),
        edgeId: e.id,
        path: `edges[${index}].id`,
      });
      return;
    }
    seenEdges.add(e.id);
    edges.push({
      index,
      id: e.id,
      source: e.source,
      target: e.target,
      sourcePort: typeof e.sourcePort === 'string' ? e.sourcePort : DEFAULT_SOURCE_PORT,
      targetPort: typeof e.targetPort === 'string' ? e.targetPort : DEFAULT_TARGET_PORT,
    });
  });
  return { nodes, edges };
}

/** Shape problems of the document itself; node configs are checked per kind. */
function documentProblems(input: Record<string, unknown>, nodes: UsableNode[], out: Diagnostic[]) {
  const shape = { ...input, nodes: stripConfigs(input.nodes) };
  const nodeAt = new Map(nodes.map((n) => [n.index, n.id]));
  const edgeAt = new Map<number, string>();
  if (Array.isArray(input.edges)) {
    input.edges.forEach((e, i) => {
      if (isRecord(e) && typeof e.id === 'string') edgeAt.set(i, e.id);
    });
  }
  for (const problem of schemaProblems(PipelineSchema, shape, '')) {
    const nodeIndex = /^nodes\[(\d+)\]/.exec(problem.path)?.[1];
    const edgeIndex = /^edges\[(\d+)\]/.exec(problem.path)?.[1];
    const nodeId = nodeIndex === undefined ? undefined : nodeAt.get(Number(nodeIndex));
    const edgeId = edgeIndex === undefined ? undefined : edgeAt.get(Number(edgeIndex));
    out.push({
      ...error('format.invalid', `${problem.path || 'The pipeline'} ${problem.message}.`),
      path: problem.path,
      ...(nodeId === undefined ? {} : { nodeId }),
      ...(edgeId === undefined ? {} : { edgeId }),
    });
  }
}

function stripConfigs(nodes: unknown): unknown {
  if (!Array.isArray(nodes)) return nodes;
  return nodes.map((n) => (isRecord(n) && isRecord(n.config) ? { ...n, config: {} } : n));
}

function checkNode(node: UsableNode, out: Diagnostic[]): void {
  const at = { nodeId: node.id };
  if (!node.operator) {
    const guess = closestName(
      node.kind,
      OPERATORS.map((o) => o.kind),
    );
    out.push({
      ...error(
        'node.unknown-kind',
        `Node '${node.id}' has the unknown kind '${node.kind}'.${guess ? ` Did you mean '${guess}'?` : ''} Known kinds: ${OPERATORS.map((o) => o.kind).join(', ')}.`,
      ),
      ...at,
      path: `nodes[${node.index}].kind`,
    });
    return;
  }
  const base = `nodes[${node.index}].config`;
  const known = readConfig(node.operator, node.config);
  const problems = known?.valid
    ? []
    : schemaProblems(node.operator.config as TSchema, node.config, base);
  if (known && !known.valid && problems.length === 0) known.valid = true;
  for (const p of problems) {
    const where = p.path === base ? 'config' : p.path.slice(`nodes[${node.index}].`.length);
    out.push({
      // A message that names its setting ("Consumer group (group) is required") needs no path before it.
      ...error(
        'config.invalid',
        `${node.operator.label} '${node.id}': ${/^[A-Z]/.test(p.message) ? '' : `${where} `}${p.message}.`,
      ),
      ...at,
      path: p.path,
      fieldMessage: `${p.message.charAt(0).toUpperCase()}${p.message.slice(1)}.`,
    });
  }
  node.configValid = problems.length === 0;
}

/**
 * What is known of a config object already read: the designer analyses the
 * whole pipeline after each edit, in which every config but the edited one is
 * the same object as before (documents are never changed in place), so each
 * is checked and has its defaults filled in once.
 */
interface ReadConfig {
  valid: boolean;
  filled?: unknown;
}

const readConfigs = new WeakMap<object, Map<OperatorDefinition, ReadConfig>>();

function readConfig(operator: OperatorDefinition, config: unknown): ReadConfig | undefined {
  if (typeof config !== 'object' || config === null) return undefined;
  let byOperator = readConfigs.get(config);
  if (!byOperator) {
    byOperator = new Map();
    readConfigs.set(config, byOperator);
  }
  let known = byOperator.get(operator);
  if (!known) {
    known = { valid: false };
    byOperator.set(operator, known);
  }
  return known;
}

/** The config with its defaults, shared between analyses of the same object (and frozen, as it is shared). */
function configWithDefaults(operator: OperatorDefinition, config: unknown): unknown {
  const known = readConfig(operator, config);
  if (!known) return withDefaults(operator, config);
  known.filled ??= deepFreeze(withDefaults(operator, config));
  return known.filled;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}

function inferContext(
  node: UsableNode,
  inputs: Record<string, StreamSchema[]>,
  out: Diagnostic[],
): InferContext<never> {
  const base = `nodes[${node.index}].config`;
  const label = `${node.operator!.label} '${node.id}'`;
  const pathOf = (path: string | undefined) =>
    path ? joinPath(base, path) : `nodes[${node.index}]`;
  return {
    // Only a config that passed its schema gets here: its defaults can be filled in.
    config: configWithDefaults(node.operator!, node.config) as never,
    inputs,
    expression(path, text, fields, expected) {
      const checked = checkExpression(text, fields, expected ? { expected } : undefined);
      for (const p of checked.problems) {
        out.push({
          severity: 'error',
          code: p.code,
          message: `${label}, ${path}: ${p.message}`,
          nodeId: node.id,
          path: pathOf(path),
          range: p.range,
        });
      }
      return checked;
    },
    error(path, code, message) {
      out.push({ ...error(code, `${label}: ${message}`), nodeId: node.id, path: pathOf(path) });
    },
    warning(path, code, message) {
      out.push({ ...warning(code, `${label}: ${message}`), nodeId: node.id, path: pathOf(path) });
    },
  };
}
