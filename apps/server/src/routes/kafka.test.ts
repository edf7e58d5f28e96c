// The Kafka routes without a broker: who may call them, what addresses they
// accept, and what an unreachable cluster gives. kafka.kafka.test.ts covers
// them against a real broker.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../testing/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

const get = (url: string, headers: Record<string, string> = t.auth) =>
  t.app.inject({ method: 'GET', url, headers });

describe('Kafka routes', () => {
  it('need the token', async () => {
    const res = await get('/api/kafka/topics?bootstrap=127.0.0.1:1', {});
    expect(res.statusCode).toBe(401);
  });

  it.each([
    'http://evil.example/',
    'localhost',
    'a:1,,b:2',
    `${'a'.repeat(2001)}:9092`,
    'host:9092;rm -rf',
  ])('refuse the bootstrap %j', async (bootstrap) => {
    const res = await get(`/api/kafka/topics?bootstrap=${encodeURIComponent(bootstrap)}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('bad-request');
  });

  it('refuse a topic name Kafka would refuse, and a limit out of range', async () => {
    expect((await get('/api/kafka/topics/a%20b/sample?bootstrap=h:1')).statusCode).toBe(400);
    expect((await get('/api/kafka/topics/a/sample?bootstrap=h:1&limit=0')).statusCode).toBe(400);
    expect((await get('/api/kafka/topics/a/sample?bootstrap=h:1&limit=201')).statusCode).toBe(400);
  });

  it('ask for a cluster when neither the request nor the server names one', async () => {
    const res = await get('/api/kafka/topics');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/--kafka/);
  });

  it('answer 503 with the address when nothing listens there', async () => {
    const res = await get('/api/kafka/topics?bootstrap=127.0.0.1:1');
    expect(res.statusCode).toBe(503);
    expect(res.json().error).toMatchObject({ code: 'unavailable' });
    expect(res.json().error.message).toContain('127.0.0.1:1');
    const sample = await get('/api/kafka/topics/orders/sample?bootstrap=127.0.0.1:1');
    expect(sample.statusCode).toBe(503);
  });

  it("use the server's default cluster", async () => {
    const other = await testApp({ kafkaBootstrap: '127.0.0.1:1' });
    try {
      const res = await other.app.inject({
        method: 'GET',
        url: '/api/kafka/topics',
        headers: other.auth,
      });
      expect(res.statusCode).toBe(503);
      expect(res.json().error.message).toContain('127.0.0.1:1');
    } finally {
      await other.close();
    }
  });
});
