// The compiler from a pipeline document to Flink SQL: a CREATE TABLE for each
// source and sink, a view for each step, and one statement set that inserts
// into every sink, so the whole pipeline is one Flink job. Every node either
// compiles or gets an error that says why not; where Flink's result can differ
// from the embedded engine's, a warning on the node says how.
//
// Names: each table and view is named after its node's id, so Flink's
// operator names ("Source: orders[1]", "Sink: totals[7]") and its plan point
// back at the canvas. Time: Sluice's records carry their event time beside
// their fields; a Flink row has it only in a time-attribute column. Where a
// step drops the visible time field, its view keeps the time attribute in a
// hidden column, so steps further down still have event time.
import {
  type Diagnostic,
  type Field,
  getOperator,
  joinLayout,
  type Pipeline,
  type PipelineNode,
  parseDuration,
  type StreamSchema,
  topologicalOrder,
  withDefaults,
} from '@sluice/shared';
import { printExpression, Refusal } from './expression.js';
import { configDuration, FLINK_TYPES, ident, interval, str } from './sql.js';

/** Where the hidden time attribute travels when no visible field holds it. */
export const HIDDEN_TIME = '__sluice_time';

export interface CompileOptions {
  /**
   * The data directory as the Flink cluster sees it (an absolute path): file
   * sources and sinks are mapped under it. Without it, they are refused.
   */
  readonly dataDir?: string;
  /** Flink's name for the job; the pipeline's name by default. */
  readonly jobName?: string;
  /**
   * What the Kafka sinks' transactional ids start with, followed by the node id;
   * it must differ between jobs that run at the same time. By default, from the job's name.
   */
  readonly transactionalIdPrefix?: string;
}

export interface FlinkCompilation {
  /** The statements to submit in order, without trailing semicolons. */
  readonly statements: readonly string[];
  /** Errors on nodes that cannot run on Flink, warnings where results can differ. */
  readonly diagnostics: readonly Diagnostic[];
  /** Whether the statements are the whole pipeline: no node was refused. */
  readonly complete: boolean;
  /** Each node's table or view in the statements, by node id (compiled nodes only). */
  readonly tables: Readonly<Record<string, string>>;
  /**
   * The sinks that receive an update stream, with its key: on Flink they are
   * upsert tables (each key's latest row), on Sluice a row per update.
   */
  readonly upsertKeys: Readonly<Record<string, readonly string[]>>;
}

/** A table or view and what flows out of it. */
interface Relation {
  readonly name: string;
  readonly fields: readonly Field[];
  /** The column holding the time attribute: a field, HIDDEN_TIME, or none. */
  readonly time?: string;
  /** Why this relation has no event time on Flink though Sluice's stream has it. */
  readonly timeLost?: string;
  /** The column of each field whose column is named otherwise (an input renamed for a window). */
  readonly renamed?: ReadonlyMap<string, string>;
  /** An update stream: each row replaces the earlier one with the same values in `key`. */
  readonly updates?: { readonly key: readonly string[]; readonly from: string };
}

class NodeRefused extends Error {
  constructor(
    message: string,
    readonly path?: string,
  ) {
    super(message);
  }
}

interface NodeContext {
  readonly node: PipelineNode & { readonly index: number };
  /** The node's config with the catalog's defaults filled in (valid: the validator checked it). */
  readonly config: unknown;
  /** Input relations by port, in edge order. */
  readonly inputs: Readonly<Record<string, readonly Relation[]>>;
  /** The output schemas the validator inferred for this node. */
  readonly schemas: Readonly<Record<string, StreamSchema>>;
  readonly warn: (message: string, path?: string) => void;
  readonly statements: string[];
  readonly inserts: string[];
}

interface Compiled {
  readonly outputs: Readonly<Record<string, Relation>>;
  /** For a sink written as an upsert table: its key. */
  readonly upsertKey?: readonly string[];
}

/** Compiles a valid pipeline (see analyzePipeline) to Flink SQL. Never throws for a bad node. */
export function compileToFlinkSql(
  pipeline: Pipeline,
  schemas: ReadonlyMap<string, Readonly<Record<string, StreamSchema>>>,
  options: CompileOptions = {},
): FlinkCompilation {
  const diagnostics: Diagnostic[] = [];
  const jobName = options.jobName ?? pipeline.name;
  const header: string[] = [
    `SET 'pipeline.name' = ${str(jobName)}`,
    // Sluice's timestamps are UTC instants; windows and time functions align to UTC.
    `SET 'table.local-time-zone' = 'UTC'`,
  ];
  // 'auto' leaves it to the cluster's own default.
  const parallelism = pipeline.settings?.parallelism;
  if (typeof parallelism === 'number') header.push(`SET 'parallelism.default' = '${parallelism}'`);
  const checkpoints = checkpointing(pipeline);
  if (checkpoints.enabled) {
    header.push(
      `SET 'execution.checkpointing.interval' = ${str(configDuration(checkpoints.intervalMs))}`,
    );
  }
  const statements: string[] = [];
  const inserts: string[] = [];
  const tables: Record<string, string> = {};
  const upsertKeys: Record<string, readonly string[]> = {};
  const outputs = new Map<string, Readonly<Record<string, Relation>>>();
  const refused = new Set<string>();

  for (const node of topological(pipeline).map((n) => ({
    ...n,
    index: pipeline.nodes.indexOf(n),
  }))) {
    const warn = (message: string, path?: string) =>
      diagnostics.push(diagnostic('warning', 'flink.differs', node, message, path));
    const inputs: Record<string, Relation[]> = {};
    let blocked: string | undefined;
    for (const edge of pipeline.edges.filter((e) => e.target === node.id)) {
      const relation = outputs.get(edge.source)?.[edge.sourcePort ?? 'out'];
      if (!relation) {
        blocked = edge.source;
        continue;
      }
      const port = edge.targetPort ?? 'in';
      inputs[port] = [...(inputs[port] ?? []), relation];
    }
    const never = NEVER[node.kind];
    if (never !== undefined) {
      refused.add(node.id);
      diagnostics.push(diagnostic('error', 'flink.refused', node, never));
      continue;
    }
    // Upstream was refused: that node says why; this one is not compiled either.
    if (blocked !== undefined && refused.has(blocked)) {
      refused.add(node.id);
      continue;
    }
    if (blocked !== undefined) {
      // A branch from an output Flink does not have (a late port): left out.
      warn(
        `Not run on Flink: its input '${blocked}' has no such output there (Flink SQL drops late records).`,
      );
      continue;
    }
    const definition = getOperator(node.kind);
    if (!definition) {
      refused.add(node.id);
      diagnostics.push(
        diagnostic('error', 'flink.refused', node, `The kind ${node.kind} is not in the catalog.`),
      );
      continue;
    }
    const context: NodeContext = {
      node,
      config: withDefaults(definition, node.config),
      inputs,
      schemas: schemas.get(node.id) ?? {},
      warn,
      statements: [],
      inserts: [],
    };
    try {
      const compiled = compileNode(context, { options, jobName, checkpoints });
      outputs.set(node.id, compiled.outputs);
      statements.push(...context.statements);
      inserts.push(...context.inserts);
      const own =
        compiled.outputs.out?.name ?? (context.statements.length > 0 ? node.id : undefined);
      if (own) tables[node.id] = own;
      if (compiled.upsertKey) upsertKeys[node.id] = compiled.upsertKey;
    } catch (error) {
      if (!(error instanceof NodeRefused || error instanceof Refusal)) throw error;
      refused.add(node.id);
      const path = error instanceof NodeRefused ? error.path : undefined;
      diagnostics.push(
        diagnostic('error', 'flink.refused', node, capitalized(error.message), path),
      );
    }
  }
  if (inserts.length > 0) {
    statements.push(
      inserts.length === 1
        ? inserts[0]!
        : `EXECUTE STATEMENT SET\nBEGIN\n${inserts.map((i) => `${i};`).join('\n\n')}\nEND`,
    );
  } else if (refused.size === 0) {
    diagnostics.push({
      severity: 'error',
      code: 'flink.no-sink',
      message: 'Nothing would run on Flink: the pipeline has no sink that compiles.',
    });
  }
  if (Object.keys(upsertKeys).length > 0) {
    // Rows with a NULL key are dropped (and said on the sink), rather than failing the job.
    header.push(`SET 'table.exec.sink.not-null-enforcer' = 'DROP'`);
  }
  return {
    statements: [...header, ...statements],
    diagnostics,
    complete: !diagnostics.some((d) => d.severity === 'error'),
    tables,
    upsertKeys,
  };
}

/** Kinds that never run on Flink, whatever their inputs: said on the node even after a refused one. */
const NEVER: Readonly<Record<string, string>> = {
  'source.datagen':
    "Sluice's data generator has no counterpart on Flink (its datagen connector makes other values). Write the records to a Kafka topic and read them from there.",
  'source.nexmark':
    'Flink has no Nexmark source. Write the events to a Kafka topic and read them from there (npm run bench -- --vs flink does).',
  'sink.preview':
    'The preview sink runs only on the embedded engine: its rows are kept by Sluice for the canvas. Use a Kafka sink, or run the pipeline embedded.',
};

interface Job {
  readonly options: CompileOptions;
  readonly jobName: string;
  readonly checkpoints: { enabled: boolean; intervalMs: number };
}

function compileNode(c: NodeContext, job: Job): Compiled {
  switch (c.node.kind) {
    case 'source.kafka':
      return sourceKafka(c);
    case 'source.file':
      return sourceFile(c, job);
    case 'transform.filter':
      return filter(c);
    case 'transform.map':
      return map(c);
    case 'transform.union':
      return union(c);
    case 'window.aggregate':
      return windowAggregate(c);
    case 'transform.aggregate':
      return runningAggregate(c);
    case 'transform.topn':
      return topN(c);
    case 'transform.dedupe':
      return dedupe(c);
    case 'join.window':
      return windowJoin(c);
    case 'join.interval':
      return intervalJoin(c);
    case 'join.regular':
      return regularJoin(c);
    case 'sink.kafka':
      return sinkKafka(c, job);
    case 'sink.file':
      return sinkFile(c, job);
    case 'sink.console':
      c.warn(
        "On Flink its rows go to the TaskManager's standard output (its .out file), not the job's log.",
      );
      return sinkConnector(c, 'print', {});
    case 'sink.blackhole':
      return sinkConnector(c, 'blackhole', {});
    default:
      throw new NodeRefused(`The kind ${c.node.kind} has no Flink SQL mapping.`);
  }
}

// ---------------------------------------------------------------- sources

function sourceKafka(c: NodeContext): Compiled {
  const config = c.config as {
    bootstrapServers: string;
    topics: string[];
    group: string;
    startFrom: 'earliest' | 'latest' | 'timestamp';
    startTimestamp?: string;
    format: 'json' | 'csv' | 'raw';
    schema: Field[];
    csv: { delimiter: string };
    keyField?: string;
    timestampField?: string;
    headerFields?: { header: string; field: string }[];
    eventTime?: { field: string; maxOutOfOrderness: string; idleTimeout?: string };
    deadLetterTopic?: string;
  };
  const columns = config.schema.map((f) => `${ident(f.name)} ${FLINK_TYPES[f.type]}`);
  const options: [string, string][] = [
    ['connector', 'kafka'],
    ['topic', config.topics.join(';')],
    ['properties.bootstrap.servers', config.bootstrapServers],
    ['properties.group.id', config.group],
  ];
  if (config.startFrom === 'timestamp') {
    const at = Date.parse(config.startTimestamp ?? '');
    options.push(['scan.startup.mode', 'timestamp'], ['scan.startup.timestamp-millis', String(at)]);
    c.warn(
      'On Flink a start time applies on every start without a savepoint, even when the group has a saved position (Sluice: only when it has none).',
      'startTimestamp',
    );
  } else {
    // As Sluice: the group's saved position, else the oldest or the newest record.
    options.push(
      ['scan.startup.mode', 'group-offsets'],
      ['properties.auto.offset.reset', config.startFrom],
    );
  }
  if (config.keyField) {
    columns.push(`${ident(config.keyField)} STRING`);
    options.push(
      ['key.format', 'raw'],
      ['key.fields', config.keyField],
      ['value.fields-include', 'EXCEPT_KEY'],
    );
  }
  if (config.timestampField) {
    columns.push(
      `${ident(config.timestampField)} TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL`,
    );
  }
  if (config.headerFields && config.headerFields.length > 0) {
    const headers = '__sluice_headers';
    columns.push(`${ident(headers)} MAP<STRING, BYTES> METADATA FROM 'headers' VIRTUAL`);
    for (const h of config.headerFields) {
      columns.push(`${ident(h.field)} AS CAST(${ident(headers)}[${str(h.header)}] AS STRING)`);
    }
  }
  options.push(...valueFormat(c, config.format, config.csv.delimiter, config.schema));
  if (config.deadLetterTopic) {
    c.warn(
      `On Flink a message that cannot be read fails the job: Flink SQL has no dead-letter topic, so '${config.deadLetterTopic}' is not written.`,
      'deadLetterTopic',
    );
  }
  const time = watermark(config.eventTime, columns, options);
  // A watermark with every record, as Sluice's sources move theirs with every
  // batch, not every 200 ms: which records are late then depends on the data,
  // not on how fast it was read.
  if (time) options.push(['scan.watermark.emit.strategy', 'on-event']);
  const out = c.schemas.out;
  if (!out) throw new NodeRefused('its output schema is unknown');
  c.statements.push(createTable(c.node.id, columns, options));
  return { outputs: { out: { name: c.node.id, fields: out.fields, ...(time ? { time } : {}) } } };
}

function sourceFile(c: NodeContext, job: Job): Compiled {
  const config = c.config as {
    path: string;
    format: 'jsonl' | 'csv';
    schema: Field[];
    csv: { delimiter: string; header: boolean };
    eventTime?: { field: string; maxOutOfOrderness: string; idleTimeout?: string };
    replayRate?: number;
  };
  const path = dataPath(job, config.path);
  if (config.format === 'csv' && config.csv.header) {
    throw new NodeRefused(
      "Flink's CSV format has no header row to skip: turn Header row off and remove it from the file, or use JSON Lines.",
      'csv.header',
    );
  }
  if (config.replayRate !== undefined) {
    c.warn(
      'On Flink the file is read as fast as the job goes: the replay rate is not used.',
      'replayRate',
    );
  }
  const columns = config.schema.map((f) => `${ident(f.name)} ${FLINK_TYPES[f.type]}`);
  const options: [string, string][] = [
    ['connector', 'filesystem'],
    ['path', path],
    ...plainFormat(
      c,
      config.format === 'jsonl' ? 'json' : 'csv',
      config.csv.delimiter,
      config.schema,
    ),
  ];
  const time = watermark(config.eventTime, columns, options);
  const out = c.schemas.out;
  if (!out) throw new NodeRefused('its output schema is unknown');
  c.statements.push(createTable(c.node.id, columns, options));
  return { outputs: { out: { name: c.node.id, fields: out.fields, ...(time ? { time } : {}) } } };
}

/**
 * The WATERMARK clause for a source's event time, and its idle timeout.
 * Sluice's watermark is the newest time minus the out-of-orderness minus 1 ms
 * (as Flink's DataStream watermarks); a SQL watermark is the expression as it
 * is, so the expression subtracts the extra millisecond: windows fire, and
 * records count as late, at the same moments on both engines.
 */
function watermark(
  eventTime: { field: string; maxOutOfOrderness: string; idleTimeout?: string } | undefined,
  columns: string[],
  options: [string, string][],
): string | undefined {
  if (!eventTime) return undefined;
  const bound = parseDuration(eventTime.maxOutOfOrderness) ?? 0;
  columns.push(
    `WATERMARK FOR ${ident(eventTime.field)} AS ${ident(eventTime.field)} - ${interval(bound + 1)}`,
  );
  if (eventTime.idleTimeout !== undefined) {
    const idle = parseDuration(eventTime.idleTimeout);
    if (idle !== undefined && idle > 0)
      options.push(['scan.watermark.idle-timeout', configDuration(idle)]);
  }
  return eventTime.field;
}

/** The value format options of a Kafka table. */
function valueFormat(
  c: NodeContext,
  format: 'json' | 'csv' | 'raw',
  delimiter: string,
  fields: readonly Field[],
  reading = true,
): [string, string][] {
  return plainFormat(c, format, delimiter, fields, reading).map(([k, v]) => [
    k === 'format' ? 'value.format' : `value.${k}`,
    v,
  ]);
}

function plainFormat(
  c: NodeContext,
  format: 'json' | 'csv' | 'raw',
  delimiter: string,
  fields: readonly Field[],
  reading = true,
): [string, string][] {
  if (format === 'raw') return [['format', 'raw']];
  if (format === 'csv') {
    if (fields.some((f) => f.type === 'timestamp')) {
      c.warn(
        "On Flink, CSV timestamps are read and written as 'yyyy-MM-dd HH:mm:ss.SSS' in UTC (Sluice: ISO-8601 or epoch milliseconds).",
      );
    }
    return [
      ['format', 'csv'],
      ['csv.field-delimiter', delimiter],
    ];
  }
  if (!reading) {
    return [
      ['format', 'json'],
      ['json.timestamp-format.standard', 'ISO-8601'],
      // Sluice writes every field; Flink would leave NULLs out.
      ['json.encode.ignore-null-fields', 'false'],
    ];
  }
  if (fields.some((f) => f.type === 'timestamp')) {
    c.warn(
      'On Flink, JSON timestamps are read as ISO-8601 text such as 2024-05-01T12:00:00.000Z only; epoch milliseconds fail the job.',
    );
  }
  return [
    ['format', 'json'],
    ['json.timestamp-format.standard', 'ISO-8601'],
    ['json.fail-on-missing-field', 'false'],
  ];
}

// ---------------------------------------------------------------- steps

function filter(c: NodeContext): Compiled {
  const input = single(c);
  const where = expression(c, input, (c.config as { where: string }).where, 'where');
  if (input.updates) {
    c.warn(
      'Its input is an update stream: on Flink a row that no longer passes takes back the one before it; on Sluice the earlier row stays.',
    );
  }
  return view(c, `SELECT ${columnsOf(input)}\nFROM ${ident(input.name)}\nWHERE ${where}`, {
    ...input,
    name: c.node.id,
  });
}

function map(c: NodeContext): Compiled {
  const input = single(c);
  const out = outSchema(c);
  const computed = new Map(
    (c.config as { fields: { name: string; expr: string }[] }).fields.map((f, i) => [
      f.name,
      { ...f, i },
    ]),
  );
  const select: string[] = [];
  for (const field of out.fields) {
    const own = computed.get(field.name);
    if (own) {
      const sql = expression(c, input, own.expr, `fields[${own.i}].expr`);
      select.push(`${sql} AS ${ident(field.name)}`);
    } else select.push(ident(field.name));
  }
  // The time attribute survives only as a column selected unchanged.
  let time = input.time;
  if (time !== undefined && (computed.has(time) || !out.fields.some((f) => f.name === time))) {
    select.push(`${ident(time)} AS ${ident(HIDDEN_TIME)}`);
    time = HIDDEN_TIME;
  }
  let updates = input.updates;
  if (updates?.key.some((k) => computed.has(k) || !out.fields.some((f) => f.name === k))) {
    updates = { key: [], from: updates.from };
  }
  return view(c, `SELECT ${select.join(', ')}\nFROM ${ident(input.name)}`, {
    name: c.node.id,
    fields: out.fields,
    ...(time !== undefined ? { time } : {}),
    ...(input.timeLost ? { timeLost: input.timeLost } : {}),
    ...(updates ? { updates } : {}),
  });
}

function union(c: NodeContext): Compiled {
  const inputs = c.inputs.in ?? [];
  if (inputs.length === 0) throw new NodeRefused('it has no input');
  const out = outSchema(c);
  const timed = inputs.every((i) => i.time !== undefined);
  const sameTime =
    timed && inputs.every((i) => i.time === inputs[0]!.time && i.time !== HIDDEN_TIME);
  const parts = inputs.map((i) => {
    const cols = out.fields.map((f) => ident(f.name));
    if (timed && !sameTime) cols.push(`${ident(i.time!)} AS ${ident(HIDDEN_TIME)}`);
    return `SELECT ${cols.join(', ')} FROM ${ident(i.name)}`;
  });
  const updates = inputs.find((i) => i.updates);
  return view(c, parts.join('\nUNION ALL\n'), {
    name: c.node.id,
    fields: out.fields,
    ...(timed ? { time: sameTime ? inputs[0]!.time! : HIDDEN_TIME } : {}),
    ...(updates ? { updates: { key: [], from: updates.updates!.from } } : {}),
  });
}

interface AggregateConfig {
  name: string;
  fn: 'count' | 'count_distinct' | 'sum' | 'avg' | 'min' | 'max' | 'first' | 'last';
  expr?: string;
  where?: string;
}

/** Flink's aggregate call for each of Sluice's aggregates. */
function aggregates(
  c: NodeContext,
  input: Relation,
  list: readonly AggregateConfig[],
  ordered: string,
): string[] {
  return list.map((a, i) => {
    const arg =
      a.expr === undefined ? undefined : expression(c, input, a.expr, `aggregates[${i}].expr`);
    let call: string;
    switch (a.fn) {
      case 'count':
        call = `COUNT(${arg ?? '*'})`;
        break;
      case 'count_distinct':
        call = `COUNT(DISTINCT ${arg})`;
        break;
      case 'avg':
        // Flink's AVG of a BIGINT is a BIGINT; Sluice's is a double.
        call = `AVG(CAST(${arg} AS DOUBLE))`;
        break;
      case 'first':
      case 'last':
        c.warn(
          `On Flink, ${a.fn} (aggregate '${a.name}') is the ${a.fn} value in arrival order that is not NULL (Sluice: ${ordered}).`,
          `aggregates[${i}].fn`,
        );
        call = `${a.fn === 'first' ? 'FIRST_VALUE' : 'LAST_VALUE'}(${arg})`;
        break;
      default:
        call = `${a.fn.toUpperCase()}(${arg})`;
    }
    const where =
      a.where === undefined
        ? ''
        : ` FILTER (WHERE ${expression(c, input, a.where, `aggregates[${i}].where`)})`;
    return `${call}${where} AS ${ident(a.name)}`;
  });
}

function windowAggregate(c: NodeContext): Compiled {
  const input = single(c);
  const config = c.config as {
    window:
      | { type: 'tumbling'; size: string }
      | { type: 'hopping'; size: string; slide: string }
      | { type: 'session'; gap: string };
    time: 'event' | 'processing';
    groupBy: string[];
    aggregates: AggregateConfig[];
    allowedLateness?: string;
  };
  if (config.time === 'processing') {
    throw new NodeRefused(
      'Processing-time windows are not compiled for Flink: their results depend on when records arrive, so they cannot be checked against the embedded engine. Use event time.',
      'time',
    );
  }
  const time = eventTimeOf(input);
  noUpdates(input);
  const source = windowInput(c, input);
  if (config.allowedLateness !== undefined && (parseDuration(config.allowedLateness) ?? 0) > 0) {
    c.warn(
      `On Flink a window fires once, when the watermark passes its end, and drops later records: the allowed lateness (${config.allowedLateness}) is not used.`,
      'allowedLateness',
    );
  }
  if (config.window.type === 'session') {
    const i = config.aggregates.findIndex((a) => a.fn === 'first' || a.fn === 'last');
    if (i !== -1) {
      throw new NodeRefused(
        `Flink's session windows merge their aggregates, and its FIRST_VALUE and LAST_VALUE cannot be merged: aggregate '${config.aggregates[i]!.name}' (${config.aggregates[i]!.fn}) does not run there.`,
        `aggregates[${i}].fn`,
      );
    }
  }
  const tvf = windowTvf(config.window, source, time, config.groupBy);
  const out = outSchema(c);
  const aggs = new Map(
    aggregates(c, source, config.aggregates, 'by event time').map((sql, i) => [
      config.aggregates[i]!.name,
      sql,
    ]),
  );
  const select = out.fields.map((f) => {
    if (f.name === 'window_start' || f.name === 'window_end')
      return `CAST(${f.name} AS TIMESTAMP_LTZ(3)) AS ${ident(f.name)}`;
    return aggs.get(f.name) ?? ident(f.name);
  });
  // A window's rows carry the time end − 1 ms: Flink's window_time, a time attribute.
  select.push(`window_time AS ${ident(HIDDEN_TIME)}`);
  const group = [...config.groupBy.map(ident), 'window_start', 'window_end', 'window_time'];
  return view(
    c,
    `SELECT ${select.join(',\n  ')}\nFROM TABLE(${tvf})\nGROUP BY ${group.join(', ')}`,
    {
      name: c.node.id,
      fields: out.fields,
      time: HIDDEN_TIME,
    },
  );
}

function windowTvf(
  window:
    | { type: 'tumbling'; size: string }
    | { type: 'hopping'; size: string; slide: string }
    | { type: 'session'; gap: string },
  input: Relation,
  time: string,
  keys: readonly string[],
): string {
  const ms = (text: string) => parseDuration(text) ?? 0;
  const descriptor = `DESCRIPTOR(${ident(time)})`;
  switch (window.type) {
    case 'tumbling':
      return `TUMBLE(TABLE ${ident(input.name)}, ${descriptor}, ${interval(ms(window.size))})`;
    case 'hopping':
      return `HOP(TABLE ${ident(input.name)}, ${descriptor}, ${interval(ms(window.slide))}, ${interval(ms(window.size))})`;
    case 'session': {
      const partition = keys.length > 0 ? ` PARTITION BY ${keys.map(ident).join(', ')}` : '';
      return `SESSION(TABLE ${ident(input.name)}${partition}, ${descriptor}, ${interval(ms(window.gap))})`;
    }
  }
}

function runningAggregate(c: NodeContext): Compiled {
  const input = single(c);
  const config = c.config as {
    groupBy: string[];
    aggregates: AggregateConfig[];
    retention?: string;
    updateKey?: string[];
  };
  if (config.updateKey !== undefined) {
    // Flink takes back each replaced row itself when the input is an update
    // stream keyed the same way: what Sluice's "Input updates keyed by" does.
    const key = input.updates?.key ?? [];
    const within = config.updateKey.every((k) => key.includes(k));
    if (!input.updates || !within) {
      throw new NodeRefused(
        `'Input updates keyed by' (${config.updateKey.join(', ')}) compiles for Flink only when the input is an update stream keyed by those fields, whose replaced rows Flink takes back itself${input.updates ? `; this one's key is (${key.join(', ')})` : '; this input is not an update stream there'}.`,
        'updateKey',
      );
    }
    if (key.length > config.updateKey.length) {
      c.warn(
        `On Flink a row replaces the one before it with the same (${key.join(', ')}), the key of its input; the same as Sluice's (${config.updateKey.join(', ')}) when those fields determine the others.`,
        'updateKey',
      );
    }
  } else noUpdates(input);
  const out = outSchema(c);
  const aggs = new Map(
    aggregates(c, input, config.aggregates, 'by event time').map((sql, i) => [
      config.aggregates[i]!.name,
      sql,
    ]),
  );
  const select = out.fields.map((f) => aggs.get(f.name) ?? ident(f.name));
  const hint = ttlHint(c, [['i', config.retention]], 'retention', 'idle keys');
  const group =
    config.groupBy.length > 0 ? `\nGROUP BY ${config.groupBy.map(ident).join(', ')}` : '';
  return view(c, `SELECT ${hint}${select.join(',\n  ')}\nFROM ${ident(input.name)} AS i${group}`, {
    name: c.node.id,
    fields: out.fields,
    timeLost: `the running aggregate '${c.node.id}' emits updates, which carry no event time on Flink`,
    updates: { key: config.groupBy, from: c.node.id },
  });
}

function topN(c: NodeContext): Compiled {
  const input = single(c);
  const config = c.config as {
    partitionBy: string[];
    orderBy: { expr: string; direction: 'asc' | 'desc' }[];
    n: number;
    rankField: string;
    retention?: string;
  };
  noUpdates(input);
  if (config.retention !== undefined) {
    c.warn(
      `On Flink every key's ranking is kept: Flink's Top-N takes no state time-to-live of its own, so the retention (${config.retention}) is not used.`,
      'retention',
    );
  }
  c.warn(
    'On Flink, records equal in every ordering value rank in no set order (Sluice: the earlier one first); give the ranking a last term that tells them apart.',
    'orderBy',
  );
  const out = outSchema(c);
  const orderColumns = config.orderBy.map((_, i) => `__sluice_order_${i}`);
  const inner = [
    columnsOf(input),
    ...config.orderBy.map(
      (o, i) =>
        `${expression(c, input, o.expr, `orderBy[${i}].expr`)} AS ${ident(orderColumns[i]!)}`,
    ),
  ].join(', ');
  // Sluice ranks NULL last in either direction.
  const order = config.orderBy
    .map((o, i) => `${ident(orderColumns[i]!)} ${o.direction.toUpperCase()} NULLS LAST`)
    .join(', ');
  const partition =
    config.partitionBy.length > 0
      ? `PARTITION BY ${config.partitionBy.map(ident).join(', ')} `
      : '';
  const rank = ident(config.rankField);
  const sql = [
    `SELECT ${out.fields.map((f) => ident(f.name)).join(', ')}`,
    'FROM (',
    `  SELECT *, ROW_NUMBER() OVER (${partition}ORDER BY ${order}) AS ${rank}`,
    `  FROM (SELECT ${inner} FROM ${ident(input.name)})`,
    ')',
    `WHERE ${rank} <= ${config.n}`,
  ].join('\n');
  return view(c, sql, {
    name: c.node.id,
    fields: out.fields,
    timeLost: `the top N '${c.node.id}' emits updates, which carry no event time on Flink`,
    updates: { key: [...config.partitionBy, config.rankField], from: c.node.id },
  });
}

function dedupe(c: NodeContext): Compiled {
  const input = single(c);
  const config = c.config as { key: string[]; retention: string };
  const time = eventTimeOf(input);
  noUpdates(input);
  c.warn(
    `On Flink a key is remembered for as long as the job runs (Sluice forgets it ${config.retention} after its first record, in event time), and a record earlier in event time than the one kept replaces it.`,
    'retention',
  );
  const row = ident('__sluice_row');
  const sql = [
    `SELECT ${columnsOf(input)}`,
    'FROM (',
    `  SELECT *, ROW_NUMBER() OVER (PARTITION BY ${config.key.map(ident).join(', ')} ORDER BY ${ident(time)} ASC) AS ${row}`,
    `  FROM ${ident(input.name)}`,
    ')',
    `WHERE ${row} = 1`,
  ].join('\n');
  return view(c, sql, { ...input, name: c.node.id });
}

// ---------------------------------------------------------------- joins

interface JoinConfig {
  on: { left: string; right: string }[];
  where?: string;
  rightPrefix: string;
}

/** The joined output, each field from its side, and `where` over the joined names. */
function joinedColumns(
  c: NodeContext,
  config: JoinConfig,
  left: Relation,
  right: Relation,
  leading: readonly Field[],
  leadingSql: (name: string) => string,
  /** Time attributes to turn into plain timestamps (a sink takes at most one). */
  materialize: { readonly left?: string; readonly right?: string } = {},
): { select: string[]; where?: string } {
  const layout = joinLayout(config, left.fields, right.fields, leading);
  if ('clash' in layout) throw new NodeRefused(layout.clash, 'rightPrefix');
  // A name given twice (a window join of windows: the bounds, and the left side's own
  // window_start) is the first one, as in Sluice's engine; Flink takes each name once.
  const source = new Map<string, string>();
  for (const s of layout.sources) {
    if (source.has(s.name)) continue;
    source.set(
      s.name,
      s.side === 'leading'
        ? leadingSql(s.field)
        : plain(
            `${s.side === 'left' ? 'L' : 'R'}.${col(s.side === 'left' ? left : right, s.field)}`,
            materialize[s.side] === s.field,
          ),
    );
  }
  const select = [...source].map(([name, sql]) => `${sql} AS ${ident(name)}`);
  if (config.where === undefined) return { select };
  const printed = printExpression(
    config.where,
    layout.fields,
    (name) => source.get(name) ?? ident(name),
  );
  for (const w of printed.warnings) c.warn(w, 'where');
  return { select, where: printed.sql };
}

/** A column as it is, or a time attribute cast to a plain timestamp. */
function plain(sql: string, materialize: boolean): string {
  return materialize ? `CAST(${sql} AS TIMESTAMP_LTZ(3))` : sql;
}

function keysOn(config: JoinConfig, left: Relation, right: Relation): string[] {
  return config.on.map((p) => `L.${col(left, p.left)} = R.${col(right, p.right)}`);
}

function windowJoin(c: NodeContext): Compiled {
  const [left, right] = sides(c);
  const config = c.config as JoinConfig & {
    window: { type: 'tumbling'; size: string };
    type: 'inner' | 'left';
  };
  const leftTime = eventTimeOf(left, 'left');
  const rightTime = eventTimeOf(right, 'right');
  noUpdates(left);
  noUpdates(right);
  const l = windowInput(c, left, 'left_');
  const r = windowInput(c, right, 'right_');
  const size = interval(parseDuration(config.window.size) ?? 0);
  const bounds: Field[] = [
    { name: 'window_start', type: 'timestamp' },
    { name: 'window_end', type: 'timestamp' },
  ];
  // Both sides' time attributes survive a window join in Flink, and a sink takes one:
  // they become plain timestamps; the rows carry the window's time (as in Sluice).
  const { select, where } = joinedColumns(
    c,
    config,
    l,
    r,
    bounds,
    (name) => `CAST(L.${name} AS TIMESTAMP_LTZ(3))`,
    { left: leftTime, right: rightTime },
  );
  select.push(`L.window_time AS ${ident(HIDDEN_TIME)}`);
  const on = [
    ...keysOn(config, l, r),
    'L.window_start = R.window_start',
    'L.window_end = R.window_end',
  ];
  if (where) on.push(where);
  const out = outSchema(c);
  const sql = [
    `SELECT ${select.join(',\n  ')}`,
    `FROM (SELECT * FROM TABLE(TUMBLE(TABLE ${ident(l.name)}, DESCRIPTOR(${ident(leftTime)}), ${size}))) L`,
    `${config.type === 'left' ? 'LEFT JOIN' : 'JOIN'} (SELECT * FROM TABLE(TUMBLE(TABLE ${ident(r.name)}, DESCRIPTOR(${ident(rightTime)}), ${size}))) R`,
    `ON ${on.join('\n  AND ')}`,
  ].join('\n');
  return view(c, sql, { name: c.node.id, fields: out.fields, time: HIDDEN_TIME });
}

function intervalJoin(c: NodeContext): Compiled {
  const [left, right] = sides(c);
  const config = c.config as JoinConfig & { lower: string; upper: string };
  const leftTime = eventTimeOf(left, 'left');
  const rightTime = eventTimeOf(right, 'right');
  noUpdates(left);
  noUpdates(right);
  // Flink keeps both sides' time attributes after an interval join; Sluice gives each pair
  // the later of the two times, which no column holds. Both become plain timestamps.
  const { select, where } = joinedColumns(c, config, left, right, [], ident, {
    left: leftTime,
    right: rightTime,
  });
  const offset = (text: string) => {
    const ms = parseDuration(text.replace(/^-/, '')) ?? 0;
    if (ms === 0) return `L.${ident(leftTime)}`;
    return `L.${ident(leftTime)} ${text.startsWith('-') ? '-' : '+'} ${interval(ms)}`;
  };
  const conditions = [
    ...keysOn(config, left, right),
    `R.${ident(rightTime)} BETWEEN ${offset(config.lower)} AND ${offset(config.upper)}`,
  ];
  if (where) conditions.push(where);
  const out = outSchema(c);
  const sql = [
    `SELECT ${select.join(',\n  ')}`,
    `FROM ${ident(left.name)} AS L, ${ident(right.name)} AS R`,
    `WHERE ${conditions.join('\n  AND ')}`,
  ].join('\n');
  return view(c, sql, {
    name: c.node.id,
    fields: out.fields,
    timeLost: `the interval join '${c.node.id}' gives each pair the later of its two times, which is not a time attribute on Flink`,
  });
}

function regularJoin(c: NodeContext): Compiled {
  const [left, right] = sides(c);
  const config = c.config as JoinConfig & { leftRetention: string; rightRetention: string };
  noUpdates(left);
  noUpdates(right);
  const { select, where } = joinedColumns(c, config, left, right, [], ident);
  const hint = ttlHint(
    c,
    [
      ['L', config.leftRetention],
      ['R', config.rightRetention],
    ],
    'leftRetention',
    'kept records',
  );
  const on = [...keysOn(config, left, right)];
  if (where) on.push(where);
  const out = outSchema(c);
  const sql = [
    `SELECT ${hint}${select.join(',\n  ')}`,
    `FROM ${ident(left.name)} AS L`,
    `JOIN ${ident(right.name)} AS R`,
    `ON ${on.join('\n  AND ')}`,
  ].join('\n');
  return view(c, sql, {
    name: c.node.id,
    fields: out.fields,
    timeLost: `the regular join '${c.node.id}' keeps no time attribute on Flink`,
  });
}

// ---------------------------------------------------------------- sinks

function sinkKafka(c: NodeContext, job: Job): Compiled {
  const input = single(c);
  const config = c.config as {
    bootstrapServers: string;
    topic: string;
    keyField?: string;
    format: 'json' | 'csv';
    csv: { delimiter: string };
    compression: string;
    delivery: 'exactly-once' | 'at-least-once';
  };
  const columns = input.fields.map((f) => `${ident(f.name)} ${FLINK_TYPES[f.type]}`);
  const select = input.fields.map((f) => ident(f.name));
  const base: [string, string][] = [
    ['topic', config.topic],
    ['properties.bootstrap.servers', config.bootstrapServers],
  ];
  if (config.compression !== 'none') base.push(['properties.compression.type', config.compression]);
  let options: [string, string][];
  if (input.updates) {
    const key = updateKey(input);
    if (config.format !== 'json') {
      throw new NodeRefused(
        'On Flink an update stream is written as an upsert topic, whose values are JSON: choose the JSON format.',
        'format',
      );
    }
    c.warn(
      `On Flink this topic is an upsert topic: each message's key is the update key (${key.join(', ')}) as JSON, and a row taken back is a tombstone; each key's latest row is the same as Sluice's.`,
      'keyField',
    );
    c.warn(
      `On Flink a row whose update key (${key.join(', ')}) holds a NULL is dropped: a primary key cannot be NULL there (Sluice writes it).`,
    );
    columns.push(`PRIMARY KEY (${key.map(ident).join(', ')}) NOT ENFORCED`);
    options = [
      ['connector', 'upsert-kafka'],
      ...base,
      ['key.format', 'json'],
      ['key.json.timestamp-format.standard', 'ISO-8601'],
      ['value.format', 'json'],
      ['value.json.timestamp-format.standard', 'ISO-8601'],
      ['value.fields-include', 'ALL'],
    ];
  } else {
    options = [['connector', 'kafka'], ...base];
    if (config.keyField) {
      const field = input.fields.find((f) => f.name === config.keyField);
      if (!field) throw new NodeRefused(`its input has no field '${config.keyField}'`, 'keyField');
      if (field.type === 'string') {
        options.push(
          ['key.format', 'raw'],
          ['key.fields', field.name],
          ['value.fields-include', 'ALL'],
        );
      } else {
        if (field.type === 'timestamp' || field.type === 'double') {
          throw new NodeRefused(
            `Sluice writes a ${field.type} key as JavaScript prints it (${field.type === 'timestamp' ? 'epoch milliseconds' : '1 for 1.0'}); Flink's text for it differs. Key by a string or long field.`,
            'keyField',
          );
        }
        // The key as text, as Sluice writes it, in a column of its own.
        const key = '__sluice_key';
        columns.push(`${ident(key)} STRING`);
        select.push(`CAST(${ident(field.name)} AS STRING) AS ${ident(key)}`);
        options.push(
          ['key.format', 'raw'],
          ['key.fields', key],
          ['value.fields-include', 'EXCEPT_KEY'],
        );
      }
    }
    options.push(...valueFormat(c, config.format, config.csv.delimiter, input.fields, false));
    if (config.delivery === 'exactly-once' && job.checkpoints.enabled) {
      const prefix = job.options.transactionalIdPrefix ?? `sluice-${job.jobName}`;
      options.push(
        ['sink.delivery-guarantee', 'exactly-once'],
        ['sink.transactional-id-prefix', `${prefix}-${c.node.id}`.replace(/[^A-Za-z0-9._-]/g, '_')],
        // Below the broker's transaction.max.timeout.ms (15 minutes by default); Flink's default is an hour.
        ['properties.transaction.timeout.ms', '600000'],
      );
    } else {
      options.push(['sink.delivery-guarantee', 'at-least-once']);
    }
  }
  c.statements.push(createTable(c.node.id, columns, options));
  c.inserts.push(
    `INSERT INTO ${ident(c.node.id)}\nSELECT ${select.join(', ')} FROM ${ident(input.name)}`,
  );
  return { outputs: {}, ...(input.updates ? { upsertKey: updateKey(input) } : {}) };
}

function sinkFile(c: NodeContext, job: Job): Compiled {
  const input = single(c);
  const config = c.config as {
    path: string;
    format: 'jsonl' | 'csv';
    csv: { delimiter: string; header: boolean };
  };
  if (input.updates) {
    throw new NodeRefused(
      `Its input is an update stream (from '${input.updates.from}'): Flink's file sink writes only rows that are never taken back. Write it to Kafka instead.`,
    );
  }
  if (config.format === 'csv' && config.csv.header) {
    throw new NodeRefused(
      "Flink's CSV format writes no header row: turn Header row off, or use JSON Lines.",
      'csv.header',
    );
  }
  const path = dataPath(job, config.path);
  c.warn(
    'On Flink the path is a folder of part files, each finished at a checkpoint (or when the input ends), not one file.',
    'path',
  );
  return sinkConnector(c, 'filesystem', {
    path,
    ...Object.fromEntries(
      plainFormat(
        c,
        config.format === 'jsonl' ? 'json' : 'csv',
        config.csv.delimiter,
        input.fields,
        false,
      ),
    ),
  });
}

function sinkConnector(c: NodeContext, connector: string, extra: Record<string, string>): Compiled {
  const input = single(c);
  const columns = input.fields.map((f) => `${ident(f.name)} ${FLINK_TYPES[f.type]}`);
  c.statements.push(
    createTable(c.node.id, columns, [['connector', connector], ...Object.entries(extra)]),
  );
  c.inserts.push(
    `INSERT INTO ${ident(c.node.id)}\nSELECT ${input.fields.map((f) => ident(f.name)).join(', ')} FROM ${ident(input.name)}`,
  );
  return { outputs: {} };
}

// ---------------------------------------------------------------- helpers

function view(c: NodeContext, select: string, relation: Relation): Compiled {
  c.statements.push(`CREATE TEMPORARY VIEW ${ident(relation.name)} AS\n${select}`);
  return { outputs: { out: relation } };
}

function createTable(
  name: string,
  columns: readonly string[],
  options: readonly [string, string][],
): string {
  return [
    `CREATE TEMPORARY TABLE ${ident(name)} (`,
    columns.map((col) => `  ${col}`).join(',\n'),
    ') WITH (',
    options.map(([k, v]) => `  ${str(k)} = ${str(v)}`).join(',\n'),
    ')',
  ].join('\n');
}

function columnsOf(relation: Relation): string {
  const cols = relation.fields.map((f) => col(relation, f.name));
  if (relation.time === HIDDEN_TIME) cols.push(ident(HIDDEN_TIME));
  return cols.join(', ');
}

function single(c: NodeContext): Relation {
  const input = c.inputs.in?.[0];
  if (!input) throw new NodeRefused('it has no input');
  return input;
}

function sides(c: NodeContext): [Relation, Relation] {
  const left = c.inputs.left?.[0];
  const right = c.inputs.right?.[0];
  if (!left || !right) throw new NodeRefused('a join needs both inputs connected');
  return [left, right];
}

function outSchema(c: NodeContext): StreamSchema {
  const out = c.schemas.out;
  if (!out)
    throw new NodeRefused(
      'its output schema is unknown: fix the problems the validator reports first',
    );
  return out;
}

function expression(c: NodeContext, input: Relation, text: string, path: string): string {
  try {
    const printed = printExpression(text, input.fields, (name) => col(input, name));
    for (const w of printed.warnings) c.warn(w, path);
    return printed.sql;
  } catch (error) {
    if (error instanceof Refusal) throw new NodeRefused(error.message, path);
    throw error;
  }
}

function eventTimeOf(input: Relation, side?: string): string {
  if (input.time !== undefined) return input.time;
  const which = side ? `Its ${side} input` : 'Its input';
  throw new NodeRefused(
    input.timeLost
      ? `${which} has no event time on Flink: ${input.timeLost}.`
      : `${which} has no event time: set the source's event time.`,
  );
}

function noUpdates(input: Relation): void {
  if (!input.updates) return;
  throw new NodeRefused(
    `Its input is an update stream (from '${input.updates.from}'): on Flink each update takes back the row before it, on Sluice it counts as one more record, so the results would differ.`,
  );
}

const WINDOW_COLUMNS = ['window_start', 'window_end', 'window_time'];

/**
 * The input of a window function: the window TVFs add window_start,
 * window_end and window_time, so an input that has one of them (the output
 * of another window) is read through a view that renames it.
 */
function windowInput(c: NodeContext, input: Relation, side = ''): Relation {
  const taken = input.fields.filter((f) => WINDOW_COLUMNS.includes(f.name));
  if (taken.length === 0) return input;
  const renamed = new Map(taken.map((f) => [f.name, `__sluice_in_${f.name}`]));
  const name = `${c.node.id}__${side}input`;
  const select = input.fields.map((f) =>
    renamed.has(f.name) ? `${ident(f.name)} AS ${ident(renamed.get(f.name)!)}` : ident(f.name),
  );
  if (input.time === HIDDEN_TIME) select.push(ident(HIDDEN_TIME));
  c.statements.push(
    `CREATE TEMPORARY VIEW ${ident(name)} AS\nSELECT ${select.join(', ')}\nFROM ${ident(input.name)}`,
  );
  return { ...input, name, renamed };
}

/** The column that holds a field of a relation. */
function col(relation: Relation, name: string): string {
  return ident(relation.renamed?.get(name) ?? name);
}

function updateKey(input: Relation): readonly string[] {
  const key = input.updates?.key ?? [];
  if (key.length === 0) {
    throw new NodeRefused(
      `Its input is an update stream without a key (from '${input.updates?.from}'): Flink's upsert topic needs one. Group by at least one field.`,
    );
  }
  return key;
}

/** A STATE_TTL hint for the given aliases, with a warning that Flink's clock is processing time. */
function ttlHint(
  c: NodeContext,
  sides: readonly [string, string | undefined][],
  path: string,
  what: string,
): string {
  const given = sides.filter((s): s is [string, string] => s[1] !== undefined);
  if (given.length === 0) return '';
  const ttls = given.map(([alias, text]) => {
    // 0 means "keep none" in Sluice and "keep forever" in Flink: the shortest TTL instead.
    const ms = Math.max(1, parseDuration(text) ?? 1);
    return `${str(alias)} = ${str(configDuration(ms))}`;
  });
  c.warn(
    `On Flink ${what} expire after the retention in processing time (Sluice: event time), so which records are still kept can differ.`,
    path,
  );
  return `/*+ STATE_TTL(${ttls.join(', ')}) */ `;
}

function dataPath(job: Job, path: string): string {
  if (!job.options.dataDir) {
    throw new NodeRefused(
      'Files map to Flink only when Sluice knows where the cluster sees its data directory (a local cluster); for a remote cluster, use Kafka.',
      'path',
    );
  }
  const root = job.options.dataDir.replace(/\/+$/, '');
  return `file://${root}/${path.replace(/^\.?\/+/, '')}`;
}

function checkpointing(pipeline: Pipeline): { enabled: boolean; intervalMs: number } {
  const settings = pipeline.settings?.checkpoints;
  return {
    enabled: settings?.enabled ?? true,
    intervalMs: parseDuration(settings?.interval ?? '10s') ?? 10_000,
  };
}

/** The nodes in an order where every node comes after its inputs; ties in document order. */
export function topological(pipeline: Pipeline): PipelineNode[] {
  const byId = new Map(pipeline.nodes.map((n) => [n.id, n]));
  const { order } = topologicalOrder(
    pipeline.nodes.map((n) => n.id),
    pipeline.edges,
  );
  return order.map((id) => byId.get(id)!);
}

function diagnostic(
  severity: 'error' | 'warning',
  code: string,
  node: PipelineNode & { readonly index: number },
  message: string,
  path?: string,
): Diagnostic {
  const name = node.label ? `'${node.label}' (${node.id})` : `'${node.id}'`;
  return {
    severity,
    code,
    nodeId: node.id,
    ...(path ? { path: `nodes[${node.index}].config.${path}` } : {}),
    message: `${name}: ${message}`,
    fieldMessage: message,
  };
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
