// Checkpoints of a running job: a consistent cut of every node's state,
// taken between batches (every call into the graph is synchronous, so no
// barrier is needed on one thread), then made durable once every sink has
// written what came before the cut.
import { createHash } from 'node:crypto';
import {
  type CheckpointFigures,
  exportPipeline,
  type Pipeline,
  parseDuration,
} from '@sluice/shared';
import {
  BlockLedger,
  type BlockReader,
  type BlockWriter,
  CheckpointBlocks,
  CheckpointFileBlocks,
} from '../checkpoint/blocks.js';
import type { CheckpointKind, JsonValue } from '../checkpoint/codec.js';
import type { CheckpointStorage, WrittenCheckpoint } from '../checkpoint/storage.js';
import type { Clock } from './clock.js';
import type { NodeSnapshot } from './node.js';

/** Every node of a job at one cut, as plain data. */
export interface JobSnapshot {
  readonly nodes: Readonly<Record<string, NodeSnapshot>>;
  /** Records that crossed each edge so far (the metrics go on counting from there). */
  readonly edges: Readonly<Record<string, number>>;
}

export interface CheckpointOptions {
  /** Milliseconds between checkpoints. */
  readonly intervalMs: number;
  readonly storage: CheckpointStorage;
  /** Said in every checkpoint's header (the job, the pipeline and its version). */
  readonly meta?: Readonly<Record<string, JsonValue>>;
}

export type { CheckpointFigures } from '@sluice/shared';

/** What the coordinator needs of its job. */
export interface CheckpointHost {
  readonly clock: Clock;
  /** Whether the job still runs and takes checkpoints. */
  running(): boolean;
  /**
   * The cut: called between batches; codecs hand their blocks to `blocks`.
   * `cut` numbers it, for `checkpointed` to name.
   */
  cut(blocks?: BlockWriter): { readonly snapshot: JobSnapshot; readonly cut: number };
  /** Waits until every sink has written what it was handed; throws what a sink threw. */
  flushSinks(): Promise<void>;
  /** The checkpoint of cut `cut` is durable: sinks make what came before that cut visible. */
  checkpointed(cut: number): Promise<void>;
}

/**
 * Takes a checkpoint every interval: the cut at once (between batches), then
 * the sinks' flush, then the write. One at a time: a tick that comes while
 * one is in flight waits for the next. A failed checkpoint is counted and the
 * job goes on; the previous checkpoint stays the one a restart resumes from.
 */
export class CheckpointCoordinator {
  readonly #host: CheckpointHost;
  readonly #options: CheckpointOptions;
  #cancel?: () => void;
  #inFlight: Promise<WrittenCheckpoint | undefined> | undefined;
  #completed = 0;
  #failed = 0;
  #last?: { id: number; at: number; durationMs: number; bytes: number };
  #lastError?: string;
  readonly restoredFrom: number | null;
  /** Which state blocks are in durable checkpoint files already: checkpoints name them, not write them again. */
  readonly #ledger = new BlockLedger();

  /** `restoredBlocks`: what the job's state was restored from, whose blocks are written already. */
  constructor(
    host: CheckpointHost,
    options: CheckpointOptions,
    restoredFrom?: number,
    restoredBlocks?: BlockReader,
  ) {
    this.#host = host;
    this.#options = options;
    this.restoredFrom = restoredFrom ?? null;
    if (restoredBlocks instanceof CheckpointFileBlocks) this.#ledger.adopt(restoredBlocks);
  }

  start(): void {
    const tick = () => {
      this.#cancel = undefined;
      if (!this.#host.running()) return;
      void this.take('checkpoint').finally(() => {
        if (this.#host.running() && !this.#stopped)
          this.#cancel = this.#host.clock.schedule(this.#options.intervalMs, tick);
      });
    };
    this.#cancel = this.#host.clock.schedule(this.#options.intervalMs, tick);
  }

  #stopped = false;

  /**
   * No more periodic checkpoints; waits for the one in flight. With
   * `abandon`, one still being written is given up instead (its file never
   * appears, its blocks count as unwritten): for a caller about to take a
   * checkpoint that supersedes it, when no sink waits on it to commit.
   */
  async stop(options: { abandon?: boolean } = {}): Promise<void> {
    this.#stopped = true;
    this.#cancel?.();
    this.#cancel = undefined;
    if (options.abandon) for (const writing of this.#writing) writing.abort();
    await this.#inFlight;
  }

  /** Checkpoints not yet written, each with what gives it up. */
  readonly #writing = new Set<AbortController>();
  #abandoned = 0;

  /** Checkpoints given up by `stop({ abandon })`: neither completed nor failed. */
  get abandoned(): number {
    return this.#abandoned;
  }

  /**
   * Takes a checkpoint (or a savepoint) now. Call it between batches: the cut
   * is taken synchronously, before this returns its promise. Resolves with
   * what was written, or undefined when it failed (the reason in `lastError`).
   */
  take(kind: CheckpointKind): Promise<WrittenCheckpoint | undefined> {
    const began = this.#host.clock.now();
    const { storage, meta } = this.#options;
    let encoded: ReturnType<CheckpointStorage['encode']>;
    let cut: number;
    // A savepoint stands alone (it may be moved, kept or deleted on its own):
    // it writes all its blocks. A checkpoint writes only the blocks no durable
    // checkpoint holds yet.
    const blocks = kind === 'checkpoint' ? this.#ledger.begin() : new CheckpointBlocks(null);
    try {
      // Serialized at the cut: the snapshot shares objects with state that moves on.
      const taken = this.#host.cut(blocks);
      cut = taken.cut;
      encoded = storage.encode(taken.snapshot, blocks);
    } catch (error) {
      this.#failed++;
      this.#lastError = messageOf(error);
      return Promise.resolve(undefined);
    }
    const previous = this.#inFlight;
    const writing = new AbortController();
    this.#writing.add(writing);
    const run = (async () => {
      await previous;
      try {
        // What came before the cut is written before the checkpoint says it was.
        await this.#host.flushSinks();
        const written = await storage.writeEncoded(encoded, { ...meta, kind }, writing.signal);
        this.#writing.delete(writing);
        if (kind === 'checkpoint') this.#ledger.confirm(blocks, written.id);
        const at = this.#host.clock.now();
        this.#completed++;
        this.#last = { id: written.id, at, durationMs: at - began, bytes: written.bytes };
        await this.#host.checkpointed(cut);
        return written;
      } catch (error) {
        if (this.#writing.delete(writing) && writing.signal.aborted) {
          this.#abandoned++;
          return undefined;
        }
        this.#failed++;
        this.#lastError = messageOf(error);
        return undefined;
      }
    })();
    this.#inFlight = run;
    return run;
  }

  get lastError(): string | undefined {
    return this.#lastError;
  }

  figures(): CheckpointFigures {
    return {
      completed: this.#completed,
      failed: this.#failed,
      lastId: this.#last?.id ?? null,
      lastAt: this.#last?.at ?? null,
      lastDurationMs: this.#last?.durationMs ?? null,
      lastBytes: this.#last?.bytes ?? null,
      restoredFrom: this.restoredFrom,
    };
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What a pipeline's settings say about checkpoints, defaults applied. */
export interface CheckpointSettings {
  readonly enabled: boolean;
  readonly intervalMs: number;
  readonly keep: number;
}

export function checkpointSettings(pipeline: Pipeline): CheckpointSettings {
  const settings = pipeline.settings?.checkpoints;
  return {
    enabled: settings?.enabled ?? true,
    intervalMs: parseDuration(settings?.interval ?? '10s') ?? 10_000,
    keep: settings?.keep ?? 3,
  };
}

/**
 * What a checkpoint can be restored into: the nodes' ids, kinds and configs
 * and the edges, hashed (labels, positions and names do not count). A
 * checkpoint is refused by a pipeline with another fingerprint.
 */
export function pipelineFingerprint(pipeline: Pipeline): string {
  const canonical = JSON.parse(exportPipeline(pipeline)) as Pipeline;
  const shape = {
    nodes: canonical.nodes.map(({ id, kind, config }) => ({ id, kind, config })),
    edges: canonical.edges,
  };
  return createHash('sha256').update(JSON.stringify(shape)).digest('hex');
}
