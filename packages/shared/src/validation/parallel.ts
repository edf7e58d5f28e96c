// Whether a pipeline gives the same results when its job runs as N instances
// (settings.parallelism), each reading its own share of the Kafka partitions.
// Every kind declares its part (../catalog/parallel.ts); this walks the graph
// in order, following which field each stream is partitioned by, and refuses
// a step that would see only part of a key's records, or cannot be split.
import type { PipelineSettings } from '../format/pipeline.js';
import type { Diagnostic } from './diagnostic.js';
import { groupBy } from './graph.js';
import { error, type UsableEdge, type UsableNode } from './usable.js';

/** A stream whose partitioning is not known (its step has problems of its own, said elsewhere). */
const UNKNOWN = Symbol('unknown');
/** The field a stream is partitioned by; undefined when records of one value may be in any instance. */
type Partitioning = string | undefined | typeof UNKNOWN;

/** Whether the job would run as more than one instance on Sluice's engine. */
export function runsSplit(settings: PipelineSettings | undefined): boolean {
  const parallelism = settings?.parallelism ?? 1;
  const target = settings?.target ?? 'embedded';
  return parallelism !== 1 && target === 'embedded';
}

export function checkParallel(
  settings: PipelineSettings | undefined,
  nodes: readonly UsableNode[],
  connected: readonly UsableEdge[],
  order: readonly string[],
  configOf: (node: UsableNode) => unknown,
  out: Diagnostic[],
): void {
  if (!runsSplit(settings)) return;
  const instances =
    settings?.parallelism === 'auto'
      ? 'one instance per core'
      : `${settings?.parallelism} instances`;
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const into = groupBy(connected, (e) => e.target);
  const partitioning = new Map<string, Partitioning>();
  const refuse = (node: UsableNode, code: string, message: string) =>
    out.push({
      ...error(code, `${message} Or set the pipeline’s Instances to 1.`),
      nodeId: node.id,
      path: `nodes[${node.index}]`,
    });

  for (const id of order) {
    const node = byId.get(id);
    if (!node?.operator || !node.configValid) {
      partitioning.set(id, UNKNOWN);
      continue;
    }
    const declared = node.operator.parallel;
    const config = configOf(node) as never;
    const name = `${node.operator.label} '${node.id}'`;
    const incoming = into.get(id) ?? [];
    const inputs = incoming.map((e) =>
      partitioning.has(e.source) ? partitioning.get(e.source) : UNKNOWN,
    );
    switch (declared.runs) {
      case 'alone':
        refuse(
          node,
          'parallel.cannot-split',
          `${name} cannot run as ${instances}: ${declared.why}.`,
        );
        partitioning.set(id, UNKNOWN);
        break;
      case 'shared':
        partitioning.set(id, declared.partitionKey(config));
        break;
      case 'per-record': {
        if (inputs.includes(UNKNOWN)) {
          partitioning.set(id, UNKNOWN);
          break;
        }
        const carried = new Set(
          inputs.map((k) => (k === undefined ? undefined : declared.carries(config, k as string))),
        );
        partitioning.set(id, carried.size === 1 ? [...carried][0] : undefined);
        break;
      }
      case 'by-key': {
        if (inputs.includes(UNKNOWN) || incoming.length === 0) {
          partitioning.set(id, UNKNOWN);
          break;
        }
        const keys = declared.keys(config);
        const ports = Object.keys(keys);
        const all = ports.flatMap((port) => keys[port] ?? []);
        if (all.length === 0) {
          refuse(
            node,
            'parallel.no-key',
            `${name} cannot run as ${instances}: it has no key, so every record belongs to one group, which one instance alone would see. Give it a key that the Kafka topic is keyed by.`,
          );
          partitioning.set(id, UNKNOWN);
          break;
        }
        // The index of the partitioning field among each input's keys: all must agree.
        const at = incoming.map((e, i) => {
          const k = inputs[i];
          return k === undefined ? -1 : (keys[e.targetPort] ?? []).indexOf(k as string);
        });
        const index = at[0] ?? -1;
        if (index < 0 || at.some((i) => i !== index)) {
          const which = incoming.findIndex((_e, i) => (at[i] ?? -1) < 0 || at[i] !== index);
          const port = incoming[which]?.targetPort ?? ports[0]!;
          const k = inputs[which];
          const own = keys[port] ?? [];
          const fields = own.join(', ');
          const input = ports.length > 1 ? `its ${port} input` : 'its input';
          const keyed = own.length === 1 ? fields : `one of ${fields}`;
          const why =
            k === undefined
              ? `${input} is not partitioned by a field (records of one key may be read by different instances). Set the Kafka source’s Key field, with the topic keyed by ${keyed}, and keep that field through to here.`
              : ports.length > 1 && (at[which] ?? -1) >= 0
                ? `its inputs are partitioned by keys that do not pair up (${incoming.map((_e, i) => String(inputs[i])).join(' and ')}): both sides must be keyed by the same pair of the join’s keys.`
                : `${input} is partitioned by ${String(k)} (the Kafka message key), which is not ${own.length === 1 ? `its key (${fields})` : `one of its keys (${fields})`}. Add ${String(k)} to the keys, or key the topic by ${keyed}.`;
          refuse(
            node,
            'parallel.not-partitioned',
            `${name} keeps state per key, so with ${instances} all records of a key must reach one instance; but ${why}`,
          );
          partitioning.set(id, UNKNOWN);
          break;
        }
        // The output keeps the first port's key (a join's left key).
        const first = incoming.findIndex((e) => e.targetPort === ports[0]);
        partitioning.set(id, declared.carries(config, inputs[Math.max(0, first)] as string));
        break;
      }
    }
  }
}
