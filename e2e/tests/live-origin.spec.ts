// The live view's WebSocket carries a job's records, so a page of another
// origin must not open it, even when the browser sends the session cookie.
// Cookies ignore ports: a page on 127.0.0.1 at another port is same-site and
// its WebSocket handshake carries the cookie, so only the Origin check stops it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from '@playwright/test';
import { expect, test } from '../support/fixtures.js';

interface Attempt {
  readonly opened: boolean;
  /** What Chromium said about a refused handshake, e.g. "…Unexpected response code: 403". */
  readonly error?: string;
}

/** Opens a WebSocket from the page's own context, as the page's scripts would. */
async function openFromPage(page: Page, url: string): Promise<Attempt> {
  const socketError = new Promise<string>((resolve) => {
    page.on('websocket', (ws) => {
      if (ws.url() === url) ws.on('socketerror', resolve);
    });
  });
  const opened = await page.evaluate(
    (target) =>
      new Promise<boolean>((resolve) => {
        const socket = new WebSocket(target);
        socket.onopen = () => {
          socket.close();
          resolve(true);
        };
        socket.onclose = () => resolve(false);
      }),
    url,
  );
  if (opened) return { opened };
  const silence = new Promise<string>((resolve) =>
    setTimeout(() => resolve('(Chromium reported no handshake error)'), 5_000),
  );
  return { opened, error: await Promise.race([socketError, silence]) };
}

/** A stand-in for any other local web app: a page on 127.0.0.1 at another port. */
async function otherSite(): Promise<{ url: string; server: Server }> {
  const server = createServer((_request, response) => {
    response.setHeader('content-type', 'text/html');
    response.end('<!doctype html><title>Another site</title><p>Another site</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, server };
}

test('the live WebSocket opens for the server’s own pages and refuses another origin', async ({
  page,
  request,
  sluice,
}) => {
  const [pipeline] = (await (
    await request.get('/api/pipelines', { headers: sluice.auth })
  ).json()) as { id: string }[];
  expect(pipeline, 'the first start seeds example pipelines').toBeDefined();
  const deployed = await request.post('/api/jobs', {
    headers: sluice.auth,
    data: { pipelineId: pipeline!.id },
  });
  expect(deployed.status()).toBe(201);
  const job = (await deployed.json()) as { id: string };
  const live = `${sluice.baseURL.replace(/^http/, 'ws')}/api/jobs/${job.id}/live`;
  const other = await otherSite();
  try {
    await page.goto(sluice.loginURL);
    await page.goto('/api/health');
    expect(await openFromPage(page, live)).toEqual({ opened: true });

    await page.goto(other.url);
    const refused = await openFromPage(page, live);
    expect(refused.opened).toBe(false);
    // 403, not 401: the cookie went along, and the Origin check said no.
    expect(refused.error).toContain('403');
  } finally {
    other.server.close();
    await request.post(`/api/jobs/${job.id}/stop`, { headers: sluice.auth });
  }
});
