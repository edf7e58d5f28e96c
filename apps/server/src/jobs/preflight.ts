// What can be checked before a job starts, so that a deploy is refused on the
// node at fault rather than failing the whole job a moment later: the files
// sources read are in the data directory, and the topics Kafka sources read
// exist on their cluster. A cluster that does not answer is a warning only: the
// job waits for it, as it would for one that goes away while it runs.
import { DataDir, KafkaBrowseError, listTopics } from '@sluice/engine';
import { type Diagnostic, type Pipeline, readModel, runsSplit } from '@sluice/shared';

export interface PreflightOptions {
  readonly dataDir: string;
  /** How the data directory is named in messages (`files`). */
  readonly dataDirShownAs?: string;
  /** How long a Kafka cluster has to answer. */
  readonly kafkaTimeoutMs?: number;
  /** How many instances the job runs as (settings.parallelism, 'auto' resolved). */
  readonly instances?: number;
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
    } else if (node.kind === 'transform.predict') {
      const { model } = (node.config ?? {}) as { model?: unknown };
      if (typeof model === 'string') checks.push(checkModel(dataDir, model, node.id, nodeIndex));
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
  const instances = runsSplit(pipeline.settings) ? (options.instances ?? 1) : 1;
  for (const [bootstrap, readers] of byCluster)
    checks.push(checkTopics(bootstrap, readers, options.kafkaTimeoutMs ?? 3_000, instances));
  return (await Promise.all(checks)).flat();
}

/** A model file that cannot be read, or is not a model, refused on its node before the job starts. */
async function checkModel(
  dataDir: DataDir,
  path: string,
  nodeId: string,
  nodeIndex: number,
): Promise<Diagnostic[]> {
  let problem: string | undefined;
  try {
    const handle = await dataDir.openForReading(path);
    try {
      const read = readModel(await handle.readFile('utf8'));
      if ('problem' in read) problem = `The model file cannot be used: ${read.problem}.`;
    } finally {
      await handle.close();
    }
  } catch (error) {
    problem = `The model file cannot be read: ${error instanceof Error ? error.message : String(error)}`;
  }
  return problem === undefined
    ? []
    : [
        {
          severity: 'error',
          code: 'model-unusable',
          message: problem,
          nodeId,
          path: `nodes[${nodeIndex}].config.model`,
        },
      ];
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
  instances: number,
): Promise<Diagnostic[]> {
  let names: Set<string>;
  let partitions: Map<string, number>;
  try {
    const listed = await listTopics(bootstrap, { timeoutMs });
    names = new Set(listed.map((t) => t.name));
    partitions = new Map(listed.map((t) => [t.name, t.partitions]));
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
  const missing = readers.flatMap(({ nodeId, nodeIndex, topics }) =>
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
  return instances > 1 ? [...missing, ...sharing(readers, partitions, instances)] : missing;
}

/**
 * With several instances, instance p mod N reads partition p of every topic:
 * records of one key meet in one instance only if every topic has the same
 * number of partitions (the producer's partitioner then puts the key in the
 * same partition of each). Fewer partitions than instances leave some idle.
 */
function sharing(
  readers: readonly { nodeIndex: number; nodeId: string; topics: string[] }[],
  partitions: ReadonlyMap<string, number>,
  instances: number,
): Diagnostic[] {
  const counted = readers.flatMap((r) =>
    r.topics.flatMap((topic, i) => {
      const n = partitions.get(topic);
      return n === undefined ? [] : [{ ...r, topic, i, n }];
    }),
  );
  const counts = new Set(counted.map((c) => c.n));
  if (counts.size > 1) {
    const first = counted[0]!;
    const odd = counted.find((c) => c.n !== first.n)!;
    return [
      {
        severity: 'error',
        code: 'parallel.partitions-differ',
        message: `With ${instances} instances, the topics read must have the same number of partitions, so that records of one key are read by one instance: '${first.topic}' has ${first.n}, '${odd.topic}' has ${odd.n}. Use topics with as many partitions, or set the pipeline’s Instances to 1.`,
        nodeId: odd.nodeId,
        path: `nodes[${odd.nodeIndex}].config.topics[${odd.i}]`,
      },
    ];
  }
  const fewest = counted.find((c) => c.n < instances);
  if (!fewest) return [];
  return [
    {
      severity: 'warning',
      code: 'parallel.idle-instances',
      message: `'${fewest.topic}' has ${fewest.n} partition${fewest.n === 1 ? '' : 's'} for ${instances} instances: ${instances - fewest.n} of them will have nothing to read.`,
      nodeId: fewest.nodeId,
      path: `nodes[${fewest.nodeIndex}].config.topics[${fewest.i}]`,
    },
  ];
}
