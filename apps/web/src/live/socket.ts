// The live WebSocket of one job: its messages folded into the store, taps
// opened and closed on request. The session cookie authenticates the
// handshake. A connection lost while the job runs is retried with backoff,
// for as long as the page shows the job; each retry first reads the job
// again, so the page follows what became of it: still running (a blip),
// resumed by a restarted server, ended meanwhile, or gone. Nothing more is
// asked about a job that ended or is gone.
import type { LiveClientMessage, LiveMessage } from '@sluice/shared';
import { ApiError, api } from '../api/client.js';
import type { Catalog } from '../catalog/catalog.js';
import type { EditorStore } from '../store/store.js';
import { afterOutage, connected, connectionLost, jobGone, retryFailed } from './follow.js';
import {
  addErrors,
  addTapSample,
  applyMetrics,
  applyStatus,
  applySummary,
  clearTap,
  type LiveChannel,
  type LiveData,
} from './live.js';

/** The first retry after a lost connection; each next one waits twice as long, up to MAX_RETRY_MS. */
export const FIRST_RETRY_MS = 500;
export const MAX_RETRY_MS = 10_000;

/** How long to wait before retry number `attempt` (0 for the first). */
export function retryDelay(attempt: number): number {
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** attempt);
}

/** Folds one server message into the live state. */
export function applyMessage(live: LiveData, catalog: Catalog, message: LiveMessage): LiveData {
  switch (message.type) {
    case 'status':
      return applyStatus(live, message.status, message.failure);
    case 'metrics':
      return applyMetrics(live, catalog, message.metrics, message.dropped);
    case 'error':
      return addErrors(live, [message.error]);
    case 'tap':
      return addTapSample(live, message.edgeId, message.rows, message.times);
    case 'problem':
      return { ...live, problem: message.message };
    default:
      return live;
  }
}

const isGone = (cause: unknown) => cause instanceof ApiError && cause.status === 404;

export function connectLive(store: EditorStore, jobId: string): LiveChannel {
  const taps = new Set<string>();
  let socket: WebSocket | null = null;
  /** Nothing more to follow: closed by the page, or the job is gone. */
  let closed = false;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const current = () => store.getState().live.job?.id === jobId;
  const update = (change: (live: LiveData) => LiveData) => {
    if (current()) store.getState().updateLive(change);
  };
  const send = (message: LiveClientMessage) => {
    if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  };
  const finish = () => {
    closed = true;
    clearTimeout(timer);
    const ws = socket;
    socket = null;
    ws?.close();
  };
  const gone = () => {
    update(jobGone);
    finish();
  };

  // Where the job resumed from and the savepoint it stopped with are in its
  // summary only. Without it the live view goes on as it was: nothing to report.
  let askedAbout: number | null = null;
  const refreshSummary = () =>
    void api.job(jobId).then(
      (summary) => update((live) => applySummary(live, summary)),
      (cause) => {
        if (isGone(cause)) gone();
      },
    );

  /** After a lost connection: is the server back, and what became of the job? */
  const check = async () => {
    if (closed || !current()) return;
    try {
      const summary = await api.job(jobId);
      if (closed) return;
      update((live) => afterOutage(live, summary));
      if (summary.status === 'running') open();
      else finish();
    } catch (cause) {
      if (closed) return;
      // Signed out: the page shows the sign-in, and the live view is gone with it.
      if (cause instanceof ApiError && cause.status === 401) finish();
      else if (isGone(cause)) gone();
      else retryLater();
    }
  };
  const retryLater = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void check(), retryDelay(attempt));
    attempt++;
    update((live) => retryFailed(live, attempt));
  };

  const open = () => {
    const ws = new WebSocket(api.liveUrl(jobId));
    socket = ws;
    ws.onopen = () => {
      if (socket !== ws) return;
      attempt = 0;
      update(connected);
      // Taps close with a connection; reopen the ones the panels still want.
      for (const edgeId of taps) send({ type: 'tap', edgeId, open: true });
      // The socket says nothing of where the job resumed from: a (re)connection
      // after a server restart may find it restored from a checkpoint, so ask.
      refreshSummary();
    };
    ws.onmessage = (event) => {
      if (socket !== ws) return;
      let message: LiveMessage;
      try {
        message = JSON.parse(String(event.data)) as LiveMessage;
      } catch {
        return;
      }
      update((live) => applyMessage(live, store.getState().catalog, message));
      // Stopped elsewhere (another tab, a server shutting down): was a savepoint kept?
      if (message.type === 'status' && message.status !== 'running') refreshSummary();
      // The job restores after the answer to a resume, and the first summaries
      // may predate it; its metrics name the checkpoint: ask once for each.
      const restored =
        message.type === 'metrics' ? message.metrics.checkpoints?.restoredFrom : null;
      if (
        restored != null &&
        restored !== askedAbout &&
        store.getState().live.job?.restoredFrom?.id !== restored
      ) {
        askedAbout = restored;
        refreshSummary();
      }
    };
    ws.onclose = () => {
      if (closed || socket !== ws) return;
      socket = null;
      if (store.getState().live.job?.status !== 'running') {
        // An ended job has nothing more to say.
        update((live) => ({ ...live, connection: 'closed' }));
        closed = true;
        return;
      }
      update(connectionLost);
      retryLater();
    };
  };
  open();

  return {
    tap(edgeId, wanted) {
      if (wanted) taps.add(edgeId);
      else taps.delete(edgeId);
      send({ type: 'tap', edgeId, open: wanted });
    },
    forgetTap(edgeId) {
      if (!taps.has(edgeId)) update((live) => clearTap(live, edgeId));
    },
    verify() {
      // Asked when a call about the job came back 404: only the job's own answer says it is gone.
      if (!closed) refreshSummary();
    },
    close: finish,
  };
}
