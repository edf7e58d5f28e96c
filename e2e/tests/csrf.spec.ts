// A page on another port of 127.0.0.1 is same-site with Sluice: Chromium sends
// the SameSite=Strict session cookie along with its requests. Only the Origin
// check keeps such a page from stopping a job; the server's own page still can.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '../support/fixtures.js';

async function otherSite(): Promise<{ url: string; server: Server }> {
  const server = createServer((_request, response) => {
    response.setHeader('content-type', 'text/html');
    response.end('<!doctype html><title>Another site</title><p>Another site</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, server };
}

test('a page on another port cannot stop a job with the session cookie; the server’s own page can', async ({
  page,
  request,
  sluice,
}) => {
  // Its own job, so the other specs' lists of jobs are not changed.
  const deployed = await request.post('/api/jobs', {
    headers: sluice.auth,
    data: {
      pipeline: {
        format: 'sluice.pipeline/v1',
        name: 'CSRF target',
        nodes: [
          {
            id: 'numbers',
            kind: 'source.datagen',
            config: {
              fields: [{ name: 'n', type: 'long', generator: { kind: 'sequence', start: 1 } }],
              rate: 10,
            },
          },
          { id: 'out', kind: 'sink.preview', config: { capacity: 10 } },
        ],
        edges: [{ id: 'e', source: 'numbers', target: 'out' }],
      },
    },
  });
  expect(deployed.status()).toBe(201);
  const job = (await deployed.json()) as { id: string };
  const stopUrl = `${sluice.baseURL}/api/jobs/${job.id}/stop`;
  const status = async () =>
    (
      (await (await request.get(`/api/jobs/${job.id}`, { headers: sluice.auth })).json()) as {
        status: string;
      }
    ).status;
  const other = await otherSite();
  try {
    await page.goto(sluice.loginURL);
    await page.goto(other.url);
    // What a hostile page would do: a simple POST, which needs no preflight.
    const sent = page.waitForResponse((r) => r.url() === stopUrl);
    await page.evaluate(
      (url) =>
        fetch(url, { method: 'POST', mode: 'no-cors', credentials: 'include' }).then(() => {}),
      stopUrl,
    );
    const answer = await sent;
    expect(answer.status()).toBe(403);
    // 403, not 401: the cookie went along (without it the answer is 401), and
    // the Origin check said no. (Chromium does not show Playwright the cookie header.)
    expect(await status()).toBe('running');

    await page.goto('/api/health');
    const own = await page.evaluate(
      (url) =>
        fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        }).then((r) => r.status),
      stopUrl,
    );
    expect(own).toBe(200);
    await expect.poll(status).not.toBe('running');
  } finally {
    other.server.close();
    await request.post(`/api/jobs/${job.id}/stop`, { headers: sluice.auth });
  }
});
