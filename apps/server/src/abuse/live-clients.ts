// Real WebSocket clients for the abuse tests: ones that read, and ones that
// stop reading (their TCP socket paused) while the server keeps sending.
import type { Socket } from 'node:net';
import { WebSocket } from 'ws';
import type { ExampleServer } from '../testing/example-server.js';

export interface LiveClient {
  readonly ws: WebSocket;
  /** Messages read, parsed. */
  readonly messages: { type: string; [key: string]: unknown }[];
  /** The close code, once closed. */
  closedWith?: number;
  /** Stops reading: the bytes stay in the kernel and then in the server's buffer. */
  pause(): void;
  resume(): void;
}

/** Opens the live view of a job (the example's by default) as a script would: the token and the server's own Origin. */
export function liveClient(
  running: ExampleServer,
  opened: WebSocket[],
  jobId = running.jobId,
): Promise<LiveClient> {
  const ws = new WebSocket(`${running.server.url.replace('http', 'ws')}/api/jobs/${jobId}/live`, {
    headers: { ...running.auth, origin: running.server.url },
  });
  opened.push(ws);
  // ws keeps its TCP socket private; pausing it is what a frozen browser tab does.
  const tcp = () => (ws as unknown as { _socket: Socket })._socket;
  const client: LiveClient = {
    ws,
    messages: [],
    pause: () => tcp().pause(),
    resume: () => tcp().resume(),
  };
  ws.on('message', (data) => client.messages.push(JSON.parse(String(data))));
  ws.on('close', (code) => {
    client.closedWith = code;
  });
  ws.on('error', () => {});
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`Refused: ${res.statusCode}`)));
  });
}

/** The server's side of its open live sockets, with what each holds unsent. */
export function serverSockets(running: ExampleServer): { bufferedAmount: number }[] {
  return [...(running.server.app.websocketServer.clients as Set<WebSocket>)];
}

/** Deploys a job of wide rows (about 2 KB each) at 2000 a second: a tap at 1000 a second sends about 2 MB a second. */
export async function deployWideRows(running: ExampleServer): Promise<string> {
  const pipeline = {
    format: 'sluice.pipeline/v1',
    name: 'Wide rows',
    nodes: [
      {
        id: 'rows',
        kind: 'source.datagen',
        config: {
          fields: [
            { name: 'n', type: 'long', generator: { kind: 'sequence', start: 1 } },
            {
              name: 'text',
              type: 'string',
              generator: { kind: 'choice', values: ['w'.repeat(2000)] },
            },
          ],
          rate: 2000,
        },
      },
      { id: 'all', kind: 'transform.filter', config: { where: 'n > 0' } },
      { id: 'out', kind: 'sink.blackhole', config: {} },
    ],
    edges: [
      { id: 'e1', source: 'rows', target: 'all' },
      { id: 'e2', source: 'all', target: 'out' },
    ],
  };
  const res = await fetch(`${running.server.url}/api/jobs`, {
    method: 'POST',
    headers: { ...running.auth, 'content-type': 'application/json' },
    body: JSON.stringify({ pipeline }),
  });
  const answer = (await res.json()) as { id?: string };
  if (res.status !== 201 || !answer.id) throw new Error(`Deploy answered ${res.status}`);
  return answer.id;
}
