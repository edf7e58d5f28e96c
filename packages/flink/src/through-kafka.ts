// The same pipeline with Kafka at its edges: every source becomes a Kafka
// source of the records it would emit, and every sink a Kafka sink, so the
// embedded engine and Flink can run it on the same input and be compared
// topic for topic (the equivalence suite, and the side-by-side benchmark).
import type { Pipeline, PipelineEdge, PipelineNode, StreamSchema } from '@sluice/shared';

export interface KafkaEdges {
  readonly bootstrapServers: string;
  /** The topic a source's output port is read from. */
  readonly sourceTopic: (nodeId: string, port: string) => string;
  /** The topic a sink writes. */
  readonly sinkTopic: (nodeId: string) => string;
  /** The consumer groups' prefix: each source reads in a group of its own, `<group>-<id>`. */
  readonly group: string;
}

/** The records a source emits on a port, with event time as it sets it. */
interface Emitted {
  readonly port: string;
  readonly schema: StreamSchema;
  readonly eventTime?: { field: string; maxOutOfOrderness: string };
}

/**
 * Rewires `pipeline` (valid, with the schemas analyzePipeline inferred) to
 * read and write Kafka topics in JSON. A source with several output ports
 * (Nexmark's person, auction and bid) becomes one Kafka source per port in
 * use, with the id `<source>_<port>`.
 */
export function throughKafka(
  pipeline: Pipeline,
  schemas: ReadonlyMap<string, Readonly<Record<string, StreamSchema>>>,
  kafka: KafkaEdges,
): Pipeline {
  const nodes: PipelineNode[] = [];
  const renamed = new Map<string, string>();
  for (const node of pipeline.nodes) {
    const category = node.kind.split('.')[0];
    if (category === 'source') {
      const emitted = emittedBy(node, schemas.get(node.id) ?? {});
      const used = emitted.filter((e) =>
        pipeline.edges.some(
          (edge) => edge.source === node.id && (edge.sourcePort ?? 'out') === e.port,
        ),
      );
      for (const e of used) {
        const id = e.port === 'out' ? node.id : `${node.id}_${e.port}`;
        renamed.set(`${node.id}:${e.port}`, id);
        nodes.push({
          id,
          kind: 'source.kafka',
          label: node.label ?? node.id,
          ...(node.position ? { position: node.position } : {}),
          config: {
            bootstrapServers: kafka.bootstrapServers,
            topics: [kafka.sourceTopic(node.id, e.port)],
            group: `${kafka.group}-${id}`,
            startFrom: 'earliest',
            format: 'json',
            schema: e.schema.fields.map((f) => ({ name: f.name, type: f.type })),
            ...(e.eventTime ? { eventTime: e.eventTime } : {}),
          },
        });
      }
    } else if (category === 'sink') {
      nodes.push({
        id: node.id,
        kind: 'sink.kafka',
        label: node.label ?? node.id,
        ...(node.position ? { position: node.position } : {}),
        config: {
          bootstrapServers: kafka.bootstrapServers,
          topic: kafka.sinkTopic(node.id),
          format: 'json',
          delivery: 'at-least-once',
        },
      });
    } else nodes.push(node);
  }
  const edges: PipelineEdge[] = pipeline.edges.map((edge) => {
    const source = renamed.get(`${edge.source}:${edge.sourcePort ?? 'out'}`);
    if (source === undefined) return edge;
    const { sourcePort: _, ...rest } = edge;
    return { ...rest, source };
  });
  return { ...pipeline, nodes, edges };
}

function emittedBy(node: PipelineNode, schemas: Readonly<Record<string, StreamSchema>>): Emitted[] {
  const config = (node.config ?? {}) as {
    eventTime?: { field: string; maxOutOfOrderness?: string };
    maxOutOfOrderness?: string;
  };
  return Object.entries(schemas).map(([port, schema]) => {
    // Nexmark sets its event time itself, from dateTime; the others from their config.
    const eventTime =
      node.kind === 'source.nexmark'
        ? { field: 'dateTime', maxOutOfOrderness: config.maxOutOfOrderness ?? '0s' }
        : config.eventTime
          ? {
              field: config.eventTime.field,
              maxOutOfOrderness: config.eventTime.maxOutOfOrderness ?? '0s',
            }
          : undefined;
    return { port, schema, ...(eventTime ? { eventTime } : {}) };
  });
}
