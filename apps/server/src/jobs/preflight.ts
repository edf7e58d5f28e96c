// What can be checked before a job starts, so that a deploy is refused on the
// node at fault rather than failing the whole job a moment later: the files
// sources read are in the data directory, and the topics Kafka sources read
// exist on their cluster. A cluster that does not answer is a warning only: the
// job waits for it, as it would for one that goes away while it runs.
import { DataDir, KafkaBrowseError, listTopics } from '@sluice/engine';
import type { Diagnostic, Pipeline } from '@sluice/shared';

export interface PreflightOptions {
  readonly dataDir: string;
  /** How the data directory is named in messages (`files`). */
  readonly dataDirShownAs?: string;
  /** How long a Kafka cluster has to answer. */
  readonly kafkaTimeoutMs?: number;
}

interface FileSourceConfig {
  readonly path?: unknown;
}

interface KafkaSourceConfig {
  readonly bootstrapServers?: unknown;
  readonly topics?: unknown;
}

/** The findings, on the nodes they are about; none when everything that can be checked is there. */
export async function preflight(
  pipeline: Pipeline,
  options: PreflightOptions,
): Promise<Diagnostic[]> {
  const dataDir = new DataDir(options.dataDir, options.dataDirShownAs);
  const checks: Promise<Diagnostic[]>[] = [];
  const byCluster = new Map<string, { nodeIndex: number; nodeId: string; topics: string[] }[]>();
  pipeline.nodes.forEach((node, nodeIndex) => {
    if (node.kind === 'source.file') {
      const { path } = (node.config ?? {}) as FileSourceConfig;
      if (typeof path === 'string') checks.push(checkFile(dataDir, path, node.id, nodeIndex));
    } else if (node.kind === 'source.kafka') {
      const { bootstrapServers, topics } = (node.config ?? {}) as KafkaSourceConfig;
      if (typeof bootstrapServers !== 'string' || !Array.isArray(topics)) return;
      const readers = byCluster.get(bootstrapServers) ?? [];
      readers.push({
        nodeIndex,
        nodeId: node.id,
        topics: topics.filter((t): t is string => typeof t === 'string'),
      });
      byCluster.set(bootstrapServers, readers);
    }
  });
  for (const [bootstrap, readers] of byCluster)
    checks.push(checkTopics(bootstrap, readers, options.kafkaTimeoutMs ?? 3_000));
  return (await Promise.all(checks)).flat();
}

async function checkFile(
  dataDir: DataDir,
  path: string,
  nodeId: string,
  nodeIndex: number,
): Promise<Diagnostic[]> {
  try {
    const handle = await dataDir.openForReading(path);
    await handle.close();
    return [];
  } catch (error) {
    return [
      {
        severity: 'error',
        code: 'file-unreadable',
        message: `The file cannot be read: ${error instanceof Error ? error.message : String(error)}`,
        nodeId,
        path: `nodes[${nodeIndex}].config.path`,
      },
    ];
  }
}

async function checkTopics(
  bootstrap: string,
  readers: readonly { nodeIndex: number; nodeId: string; topics: string[] }[],
  timeoutMs: number,
): Promise<Diagnostic[]> {
  let names: Set<string>;
  try {
    names = new Set((await listTopics(bootstrap, { timeoutMs })).map((t) => t.name));
  } catch (error) {
    const why = error instanceof KafkaBrowseError ? error.message : String(error);
    return readers.map(({ nodeId, nodeIndex }) => ({
      severity: 'warning',
      code: 'kafka-unchecked',
      message: `Kafka at ${bootstrap} did not answer, so its topics could not be checked (${why}). The job will wait for it.`,
      nodeId,
      path: `nodes[${nodeIndex}].config.bootstrapServers`,
    }));
  }
  return readers.flatMap(({ nodeId, nodeIndex, topics }) =>
    topics.flatMap((topic, i): Diagnostic[] =>
      names.has(topic)
        ? []
        : [
            {
              severity: 'error',
              code: 'kafka-topic-missing',
              message: `The topic '${topic}' does not exist on ${bootstrap}. Create it, or pick one the cluster has${names.size > 0 ? ` (${[...names].slice(0, 5).join(', ')}${names.size > 5 ? ', …' : ''})` : ''}.`,
              nodeId,
              path: `nodes[${nodeIndex}].config.topics[${i}]`,
            },
          ],
    ),
  );
}
