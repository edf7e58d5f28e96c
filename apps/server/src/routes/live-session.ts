// One browser watching one job over a WebSocket: status, metrics, bad records
// and the taps it opened. A slow browser loses messages; the job never waits.
import type { WebSocket } from '@fastify/websocket';
import type { TapSample } from '@sluice/engine';
import { LiveClientMessageSchema } from '@sluice/shared';
import { Value } from 'typebox/value';
import type { JobHandle } from '../jobs/handle.js';
import type { JobEvent } from '../jobs/protocol.js';

/** Above this many unsent bytes a client is behind: its droppable messages are skipped. */
export const MAX_BUFFERED_BYTES = 1024 * 1024;
/** Bad records sent to one client per second; the rest are counted as dropped. */
export const ERRORS_PER_SECOND = 20;
/** Taps one client may hold open at once. */
export const MAX_TAPS_PER_CLIENT = 16;

/**
 * Server → client messages, built from the engine's types; wire-check.ts
 * checks they are @sluice/shared's LiveMessage. `dropped` counts what this
 * client was not sent because it was behind.
 */
export type ServerMessage =
  | Exclude<JobEvent, { type: 'metrics' }>
  | (Extract<JobEvent, { type: 'metrics' }> & { readonly dropped: number })
  | ({ readonly type: 'tap' } & TapSample)
  | { readonly type: 'problem'; readonly message: string };

const EXAMPLE = '{"type":"tap","edgeId":"e1","open":true,"perSecond":20}';

export class LiveSession {
  readonly #taps = new Map<string, () => void>();
  readonly #unwatch: () => void;
  #dropped = 0;
  #errorSecond = 0;
  #errorsThisSecond = 0;

  constructor(
    readonly socket: WebSocket,
    readonly job: JobHandle,
  ) {
    const failure = job.failure;
    this.#send(
      failure
        ? { type: 'status', status: job.status, failure }
        : { type: 'status', status: job.status },
    );
    if (job.metrics) this.#send({ type: 'metrics', metrics: job.metrics, dropped: 0 });
    this.#unwatch = job.watch((event) => this.#onEvent(event));
    socket.on('message', (data, isBinary) => this.#onMessage(data, isBinary));
    socket.on('close', () => this.close());
  }

  /** Messages this client was not sent because it was behind or over the error rate. */
  get dropped(): number {
    return this.#dropped;
  }

  close(): void {
    this.#unwatch();
    for (const closeTap of this.#taps.values()) closeTap();
    this.#taps.clear();
  }

  #onEvent(event: JobEvent): void {
    switch (event.type) {
      case 'status':
        this.#send(event);
        break;
      case 'metrics':
        this.#sendDroppable({ ...event, dropped: this.#dropped });
        break;
      case 'error': {
        const second = Math.floor(Date.now() / 1000);
        if (second !== this.#errorSecond) {
          this.#errorSecond = second;
          this.#errorsThisSecond = 0;
        }
        if (++this.#errorsThisSecond > ERRORS_PER_SECOND) this.#dropped++;
        else this.#sendDroppable(event);
        break;
      }
    }
  }

  #onMessage(data: unknown, isBinary: boolean): void {
    let message: unknown;
    try {
      message = isBinary ? undefined : JSON.parse(String(data));
    } catch {
      // Reported below as not a valid message.
    }
    if (!Value.Check(LiveClientMessageSchema, message)) {
      this.#send({
        type: 'problem',
        message: `That message is not understood. Send JSON such as ${EXAMPLE}.`,
      });
      return;
    }
    if (message.open) this.#openTap(message.edgeId, message.perSecond ?? 20);
    else this.#closeTap(message.edgeId);
  }

  #openTap(edgeId: string, perSecond: number): void {
    if (!this.#taps.has(edgeId) && this.#taps.size >= MAX_TAPS_PER_CLIENT) {
      this.#send({
        type: 'problem',
        message: `At most ${MAX_TAPS_PER_CLIENT} taps can be open at once: close one first.`,
      });
      return;
    }
    this.#closeTap(edgeId);
    try {
      const close = this.job.openTap(edgeId, perSecond, (sample) =>
        this.#sendDroppable({ type: 'tap', ...sample }),
      );
      this.#taps.set(edgeId, close);
    } catch (error) {
      this.#send({
        type: 'problem',
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }

  #closeTap(edgeId: string): void {
    this.#taps.get(edgeId)?.();
    this.#taps.delete(edgeId);
  }

  /** Metrics, samples and bad records: skipped (and counted) while the client is behind. */
  #sendDroppable(message: ServerMessage): void {
    if (this.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.#dropped++;
      return;
    }
    this.#send(message);
  }

  /** Status changes and problems are rare and always sent. */
  #send(message: ServerMessage): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    this.socket.send(JSON.stringify(message));
  }
}
