// Source commits without checkpoints: every `commitIntervalMs`, sources that
// can resume (Kafka) save how far the sinks have written, so a restart reads
// again only what had not left the graph (at least once). Jobs that
// checkpoint restore positions from the checkpoint instead.
import type { Clock } from './clock.js';
import type { RunningNode } from './node.js';

export interface CommitsHost {
  readonly clock: Clock;
  readonly nodes: readonly RunningNode[];
  readonly sources: readonly RunningNode[];
  running(): boolean;
  /** Waits until every sink has written what it was handed; throws (after failing the job) when one cannot. */
  flushSinks(): Promise<void>;
  fail(node: RunningNode, error: unknown): void;
}

export interface PreparedCommit {
  readonly node: RunningNode;
  readonly commit: () => Promise<void>;
}

export class SourceCommits {
  readonly #host: CommitsHost;
  #cancel?: () => void;
  #committing: Promise<void> | undefined;

  constructor(host: CommitsHost) {
    this.#host = host;
  }

  start(): void {
    const intervals = this.#host.sources
      .map((n) => (n.source?.prepareCommit ? n.source.commitIntervalMs : undefined))
      .filter((ms): ms is number => ms !== undefined && ms > 0);
    if (intervals.length === 0) return;
    const every = Math.min(...intervals);
    const tick = () => {
      this.#committing = this.#commitNow().finally(() => {
        this.#committing = undefined;
        if (this.#host.running()) this.#cancel = this.#host.clock.schedule(every, tick);
      });
    };
    this.#cancel = this.#host.clock.schedule(every, tick);
  }

  /** No more periodic commits; waits for the one in flight. */
  async stop(): Promise<void> {
    this.#cancel?.();
    this.#cancel = undefined;
    await this.#committing;
  }

  async #commitNow(): Promise<void> {
    // Taken between batches, so what the sources note and what the sinks hold agree.
    const commits = this.prepare();
    if (commits.length === 0) return;
    try {
      await this.#host.flushSinks();
    } catch {
      return; // the job fails on the sink's node
    }
    for (const { node, commit } of commits) {
      try {
        await commit();
      } catch (error) {
        this.#host.fail(node, error);
        return;
      }
    }
  }

  /** What each source may save now: records before the earliest event time an operator still holds. */
  prepare(): PreparedCommit[] {
    let doneBefore = Number.POSITIVE_INFINITY;
    for (const node of this.#host.nodes) {
      const operator = node.operator;
      if (!operator) continue;
      const held = operator.heldSince
        ? operator.heldSince()
        : node.state.size().keys > 0
          ? Number.NEGATIVE_INFINITY
          : Number.POSITIVE_INFINITY;
      if (held < doneBefore) doneBefore = held;
    }
    const commits: PreparedCommit[] = [];
    for (const node of this.#host.sources) {
      const commit = node.source?.prepareCommit?.(doneBefore);
      if (commit) commits.push({ node, commit });
    }
    return commits;
  }
}
