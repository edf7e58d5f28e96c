// One browser watching one job over a WebSocket: status, metrics, bad records
// and the taps it opened. A slow browser loses messages, then its connection;
// a flooding one is closed. The job never waits, and no socket's buffer grows
// without bound.
import type { WebSocket } from '@fastify/websocket';
import { LiveClientMessageSchema } from '@sluice/shared';
import { Value } from 'typebox/value';
import type { JobHandle } from '../jobs/handle.js';
import type { JobEvent } from '../jobs/protocol.js';
import { encodeEvent, encodeMessage, encodeMetrics, encodeTap } from './live-wire.js';

/** Above this many unsent bytes a client is behind: its droppable messages are skipped. */
export const MAX_BUFFERED_BYTES = 1024 * 1024;
/** Past this many unsent bytes, or behind for BEHIND_MS, a client is closed. */
export const CLOSE_BUFFERED_BYTES = 4 * 1024 * 1024;
/** How long a client may stay behind before it is closed (the web app reconnects). */
export const BEHIND_MS = 3_000;
/** Bad records sent to one client per second; the rest are counted as dropped. */
export const ERRORS_PER_SECOND = 20;
/** Messages a client may send in one second; past it, it is closed. */
export const MESSAGES_PER_SECOND = 50;
/** Bytes a client may send in one second (its messages are small tap commands); past it, it is closed. */
export const CLIENT_BYTES_PER_SECOND = 256 * 1024;
/**
 * How often each client is pinged. A client that has not answered for
 * LAG_MS is behind (droppable messages skipped); for BEHIND_MS, it is
 * closed. The pong measures what bufferedAmount cannot: bytes the kernel
 * took (MBs on loopback) that the client never read.
 */
export const PING_EVERY_MS = 1_000;
/** An unanswered ping this old makes a client behind. */
export const LAG_MS = 1_000;
/** Invalid messages answered with a problem per second; the rest get no answer. */
export const PROBLEMS_PER_SECOND = 10;
/** Taps one client may hold open at once. */
export const MAX_TAPS_PER_CLIENT = 16;
/** WebSocket close code for a client that broke the rules (RFC 6455, 1008 policy violation). */
export const POLICY_VIOLATION = 1008;
/** After a close frame, how long a client has to answer before its connection is cut. */
const CLOSE_GRACE_MS = 1_000;

const EXAMPLE = '{"type":"tap","edgeId":"e1","open":true,"perSecond":20}';

/** Counts events per wall-clock second. */
class PerSecond {
  #second = 0;
  #count = 0;
  /** Counts `n` more (one by default); returns the total this second, these included. */
  add(n = 1): number {
    const second = Math.floor(Date.now() / 1000);
    if (second !== this.#second) {
      this.#second = second;
      this.#count = 0;
    }
    this.#count += n;
    return this.#count;
  }
}

/** The size of a message as ws hands it over. */
function byteLength(data: unknown): number {
  if (Array.isArray(data)) return data.reduce((sum: number, part) => sum + byteLength(part), 0);
  if (data instanceof ArrayBuffer) return data.byteLength;
  return Buffer.isBuffer(data) ? data.length : 0;
}

export class LiveSession {
  readonly #taps = new Map<string, () => void>();
  readonly #unwatch: () => void;
  readonly #errors = new PerSecond();
  readonly #messages = new PerSecond();
  readonly #problems = new PerSecond();
  readonly #bytes = new PerSecond();
  readonly #pinger: NodeJS.Timeout;
  #dropped = 0;
  #behindSince?: number;
  /** When the ping not yet answered was sent. */
  #pingedAt?: number;
  #closing = false;

  constructor(
    readonly socket: WebSocket,
    readonly job: JobHandle,
  ) {
    const failure = job.failure;
    this.#send(
      encodeMessage(
        failure
          ? { type: 'status', status: job.status, failure }
          : { type: 'status', status: job.status },
      ),
    );
    if (job.metrics) this.#send(encodeMetrics({ type: 'metrics', metrics: job.metrics }, 0));
    this.#unwatch = job.watch((event) => this.#onEvent(event));
    socket.on('message', (data, isBinary) => this.#onMessage(data, isBinary));
    socket.on('pong', () => {
      this.#pingedAt = undefined;
    });
    socket.on('close', () => this.close());
    this.#pinger = setInterval(() => this.#check(), PING_EVERY_MS);
    this.#pinger.unref();
  }

  /** Messages this client was not sent because it was behind or over the error rate. */
  get dropped(): number {
    return this.#dropped;
  }

  close(): void {
    clearInterval(this.#pinger);
    this.#unwatch();
    for (const closeTap of this.#taps.values()) closeTap();
    this.#taps.clear();
  }

  #onEvent(event: JobEvent): void {
    switch (event.type) {
      case 'status':
        this.#send(encodeEvent(event));
        break;
      case 'metrics':
        if (this.#keepUp()) this.#send(encodeMetrics(event, this.#dropped));
        break;
      case 'error':
        if (this.#errors.add() > ERRORS_PER_SECOND) this.#dropped++;
        else if (this.#keepUp()) this.#send(encodeEvent(event));
        break;
    }
  }

  #onMessage(data: unknown, isBinary: boolean): void {
    if (this.#closing) return;
    if (this.#messages.add() > MESSAGES_PER_SECOND) {
      this.#drop(`More than ${MESSAGES_PER_SECOND} messages in a second.`);
      return;
    }
    if (this.#bytes.add(byteLength(data)) > CLIENT_BYTES_PER_SECOND) {
      this.#drop(`More than ${CLIENT_BYTES_PER_SECOND / 1024} KiB of messages in a second.`);
      return;
    }
    let message: unknown;
    try {
      message = isBinary ? undefined : JSON.parse(String(data));
    } catch {
      // Reported below as not a valid message.
    }
    if (!Value.Check(LiveClientMessageSchema, message)) {
      this.#problem(`That message is not understood. Send JSON such as ${EXAMPLE}.`);
      return;
    }
    if (message.open) this.#openTap(message.edgeId, message.perSecond ?? 20);
    else this.#closeTap(message.edgeId);
  }

  #openTap(edgeId: string, perSecond: number): void {
    if (!this.#taps.has(edgeId) && this.#taps.size >= MAX_TAPS_PER_CLIENT) {
      this.#problem(`At most ${MAX_TAPS_PER_CLIENT} taps can be open at once: close one first.`);
      return;
    }
    this.#closeTap(edgeId);
    try {
      const close = this.job.openTap(edgeId, perSecond, (sample) => {
        if (this.#keepUp()) this.#send(encodeTap(sample));
      });
      this.#taps.set(edgeId, close);
    } catch (error) {
      this.#problem(error instanceof Error ? error.message : String(error));
    }
  }

  #closeTap(edgeId: string): void {
    this.#taps.get(edgeId)?.();
    this.#taps.delete(edgeId);
  }

  /** Answers a client's mistake, a few a second: a flood of them is not answered in kind. */
  #problem(message: string): void {
    if (this.#problems.add() > PROBLEMS_PER_SECOND || !this.#keepUp()) return;
    this.#send(encodeMessage({ type: 'problem', message }));
  }

  /**
   * Whether a droppable message (metrics, a sample, a bad record) should be
   * sent. A client behind is skipped and counted; one behind too long, or far
   * too behind, is closed.
   */
  #keepUp(): boolean {
    if (this.#closing) return false;
    if (!this.#behind()) return true;
    this.#dropped++;
    return false;
  }

  /**
   * Whether the client is behind: over MAX_BUFFERED_BYTES unsent, or a ping
   * unanswered for LAG_MS. One behind for BEHIND_MS, or by
   * CLOSE_BUFFERED_BYTES, is closed.
   */
  #behind(): boolean {
    const now = Date.now();
    const buffered = this.socket.bufferedAmount;
    // Written so that an unknown amount (an in-memory test socket) counts as keeping up.
    const overBuffer = buffered > MAX_BUFFERED_BYTES;
    const lagging = this.#pingedAt !== undefined && now - this.#pingedAt > LAG_MS;
    if (!overBuffer && !lagging) {
      this.#behindSince = undefined;
      return false;
    }
    if (overBuffer) this.#behindSince ??= now;
    const since = Math.min(this.#behindSince ?? now, this.#pingedAt ?? now);
    if (buffered > CLOSE_BUFFERED_BYTES || now - since > BEHIND_MS) {
      this.#drop(`This client fell more than ${BEHIND_MS / 1000} s behind.`);
    }
    return true;
  }

  /** Every PING_EVERY_MS, whether or not anything is sent: checks how far behind, and pings. */
  #check(): void {
    if (this.#closing || this.socket.readyState !== this.socket.OPEN) return;
    this.#behind();
    if (this.#closing || this.#pingedAt !== undefined) return;
    this.#pingedAt = Date.now();
    this.socket.ping();
  }

  /** Closes the connection with 1008; a client that cannot read the close frame is cut off. */
  #drop(reason: string): void {
    if (this.#closing) return;
    this.#closing = true;
    this.close();
    this.socket.close(POLICY_VIOLATION, reason);
    const cut = setTimeout(() => this.socket.terminate(), CLOSE_GRACE_MS);
    cut.unref();
    this.socket.once('close', () => clearTimeout(cut));
  }

  /** Status changes are rare and sent unless the client is far behind; then it is closed. */
  #send(message: string | Buffer): void {
    if (this.#closing || this.socket.readyState !== this.socket.OPEN) return;
    if (this.socket.bufferedAmount > CLOSE_BUFFERED_BYTES) {
      this.#drop('This client fell too far behind.');
      return;
    }
    this.socket.send(message, { binary: false });
  }
}
