// The live WebSocket of one job: its messages folded into the store, taps
// opened and closed on request. The session cookie authenticates the
// handshake. A dropped connection to a running job is retried a few times;
// each (re)connection reads the job's summary again.
import type { LiveClientMessage, LiveMessage } from '@sluice/shared';
import { api } from '../api/client.js';
import type { Catalog } from '../catalog/catalog.js';
import type { EditorStore } from '../store/store.js';
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

const RETRY_MS = 2_000;
const MAX_RETRIES = 5;

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

export function connectLive(store: EditorStore, jobId: string): LiveChannel {
  const taps = new Set<string>();
  let socket: WebSocket | null = null;
  let closed = false;
  let retries = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const current = () => store.getState().live.job?.id === jobId;
  const update = (change: (live: LiveData) => LiveData) => {
    if (current()) store.getState().updateLive(change);
  };
  const send = (message: LiveClientMessage) => {
    if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  };

  // Where the job resumed from and the savepoint it stopped with are in its
  // summary only. Without it the live view goes on as it was: nothing to report.
  let askedAbout: number | null = null;
  const refreshSummary = () =>
    void api.job(jobId).then(
      (summary) => update((live) => applySummary(live, summary)),
      () => {},
    );

  const open = () => {
    const ws = new WebSocket(api.liveUrl(jobId));
    socket = ws;
    ws.onopen = () => {
      retries = 0;
      update((live) => ({ ...live, connection: 'open' }));
      // Taps close with a connection; reopen the ones the panels still want.
      for (const edgeId of taps) send({ type: 'tap', edgeId, open: true });
      // The socket says nothing of where the job resumed from: a (re)connection
      // after a server restart may find it restored from a checkpoint, so ask.
      refreshSummary();
    };
    ws.onmessage = (event) => {
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
      update((live) => ({ ...live, connection: 'lost' }));
      if (store.getState().live.job?.status !== 'running' || retries >= MAX_RETRIES) return;
      retries++;
      timer = setTimeout(open, RETRY_MS);
    };
  };
  open();

  return {
    tap(edgeId, wanted) {
      if (wanted) taps.add(edgeId);
      else {
        taps.delete(edgeId);
        update((live) => clearTap(live, edgeId));
      }
      send({ type: 'tap', edgeId, open: wanted });
    },
    close() {
      closed = true;
      clearTimeout(timer);
      socket?.close();
    },
  };
}
