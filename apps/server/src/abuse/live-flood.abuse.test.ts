// A client that floods the live view with messages it never reads the answers
// to: the server answers a few, then closes it with 1008 (policy violation),
// and what it had buffered for it is let go.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { type ExampleServer, serveExample, until } from '../testing/example-server.js';
import { liveClient, serverSockets } from './live-clients.js';
import { abuseScale } from './scale.js';

let running: ExampleServer;
const opened: WebSocket[] = [];
beforeAll(async () => {
  running = await serveExample('sluice-abuse-flood-');
}, 20_000);
afterAll(async () => {
  for (const ws of opened) ws.terminate();
  await running?.close();
});

describe('a client flooding the live view', () => {
  const messages = abuseScale(20_000, 200_000);

  it(`is closed with 1008 after at most a second of ${messages} invalid messages it never reads the answers to`, async () => {
    const flooder = await liveClient(running, opened);
    const bystander = await liveClient(running, opened);
    flooder.pause();
    const junk = JSON.stringify({ type: 'tap', edgeId: 'x'.repeat(200) });
    for (let i = 0; i < messages && flooder.ws.readyState === flooder.ws.OPEN; i++) {
      flooder.ws.send(junk);
      // Let the server read as it goes, as a real flood over a network would be read.
      if (i % 1000 === 999) await new Promise((resolve) => setImmediate(resolve));
    }
    // The server dropped it: only the bystander is left on its side.
    await until(() => serverSockets(running).length === 1, 5_000, 'The flooder is still connected');
    expect(Math.max(...serverSockets(running).map((s) => s.bufferedAmount))).toBeLessThan(
      1024 * 1024,
    );
    flooder.resume();
    await until(() => flooder.closedWith !== undefined, 5_000, 'The flooder never saw a close');
    // It was told, once it read: a few problems, then the policy-violation close.
    const problems = flooder.messages.filter((m) => m.type === 'problem');
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.length).toBeLessThanOrEqual(50);
    expect([1008, 1006]).toContain(flooder.closedWith);
    // The bystander was served throughout and is still open.
    await until(
      () => bystander.messages.some((m) => m.type === 'metrics'),
      5_000,
      'The bystander got no metrics',
    );
    expect(bystander.closedWith).toBeUndefined();
  });

  it('closes a client that sends 49 messages of 60 KB a second, just under the message rate, within 3 s', async () => {
    const others = serverSockets(running).length;
    const flooder = await liveClient(running, opened);
    flooder.pause();
    const junk = `{${'x'.repeat(60_000)}`;
    const started = Date.now();
    // 3 MB a second of junk, in tenths of a second, as the black-box flood sent it.
    while (flooder.ws.readyState === flooder.ws.OPEN && Date.now() - started < 3_000) {
      for (let i = 0; i < 5; i++) flooder.ws.send(junk);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await until(
      () => serverSockets(running).length === others,
      2_000,
      'The 3 MB/s flooder is still connected after 3 s',
    );
    flooder.resume();
    await until(() => flooder.closedWith !== undefined, 5_000, 'The flooder never saw a close');
    expect([1008, 1006]).toContain(flooder.closedWith);
  });

  it('answers a client that makes a few mistakes, and keeps it', async () => {
    const client = await liveClient(running, opened);
    client.ws.send('not json');
    // Nested as deep as the 64 KiB message cap allows: parsed and refused, nothing recursive.
    client.ws.send(`${'{"type":'.repeat(7000)}1${'}'.repeat(7000)}`);
    client.ws.send(`${'['.repeat(30_000)}${']'.repeat(30_000)}`);
    await until(
      () => client.messages.filter((m) => m.type === 'problem').length === 3,
      5_000,
      'Not every mistake was answered',
    );
    client.ws.send(JSON.stringify({ type: 'tap', edgeId: 'e1', open: true }));
    await until(() => client.messages.some((m) => m.type === 'tap'), 5_000, 'No tap sample');
    expect(client.closedWith).toBeUndefined();
    client.ws.close();
  });
});
