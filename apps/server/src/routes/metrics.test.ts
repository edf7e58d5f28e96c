import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../testing/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

const pipeline = {
  format: 'sluice.pipeline/v1',
  name: 'Metered orders',
  nodes: [
    {
      id: 'orders',
      kind: 'source.datagen',
      config: {
        fields: [
          { name: 'order_id', type: 'long', generator: { kind: 'sequence', start: 1 } },
          { name: 'ts', type: 'timestamp', generator: { kind: 'timestamp' } },
        ],
        rate: 200,
        eventTime: { field: 'ts', maxOutOfOrderness: '1s' },
      },
    },
    { id: 'results', kind: 'sink.preview', config: {} },
  ],
  edges: [{ id: 'e1', source: 'orders', target: 'results' }],
};

/** The value of the series with exactly these labels, or undefined. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const inside = line.slice(name.length + 1, line.indexOf('}'));
    const have = inside.split(',');
    if (have.length === wanted.length && wanted.every((w) => have.includes(w))) {
      return Number(line.slice(line.indexOf('}') + 1));
    }
  }
  return undefined;
}

describe('metrics route', () => {
  it('needs the token', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(401);
  });

  it('serves per-operator and per-job series of running jobs, and process metrics', async () => {
    const deployed = await t.app.inject({
      method: 'POST',
      url: '/api/jobs',
      headers: t.auth,
      payload: { pipeline },
    });
    const id: string = deployed.json().id;
    const scrape = async () => {
      const res = await t.app.inject({ method: 'GET', url: '/metrics', headers: t.auth });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      return res.body;
    };
    const source = { job: id, pipeline: 'Metered orders', node: 'orders', kind: 'source.datagen' };
    let text = await scrape();
    for (
      const deadline = Date.now() + 10_000;
      !(sample(text, 'sluice_operator_records_out_total', source)! > 0);
    ) {
      if (Date.now() > deadline) throw new Error(text);
      await new Promise((resolve) => setTimeout(resolve, 100));
      text = await scrape();
    }
    const sink = { ...source, node: 'results', kind: 'sink.preview' };
    expect(sample(text, 'sluice_operator_records_in_total', sink)).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'sluice_operator_errors_total', sink)).toBe(0);
    expect(sample(text, 'sluice_operator_late_records_total', source)).toBe(0);
    expect(sample(text, 'sluice_operator_state_keys', source)).toBe(0);
    expect(sample(text, 'sluice_operator_busy_ratio', source)).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'sluice_operator_watermark_lag_seconds', source)).toBeGreaterThan(0);
    expect(text).toContain('# TYPE sluice_operator_records_in_total counter');
    const job = { job: id, pipeline: 'Metered orders' };
    expect(sample(text, 'sluice_job_status', { ...job, status: 'running' })).toBe(1);
    expect(sample(text, 'sluice_job_status', { ...job, status: 'stopped' })).toBe(0);
    expect(sample(text, 'sluice_job_uptime_seconds', job)).toBeGreaterThan(0);
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes \d/m);

    await t.app.inject({ method: 'POST', url: `/api/jobs/${id}/stop`, headers: t.auth });
    text = await scrape();
    // A stopped job keeps its status series but no longer has operator series.
    expect(sample(text, 'sluice_job_status', { ...job, status: 'stopped' })).toBe(1);
    expect(sample(text, 'sluice_operator_records_out_total', source)).toBeUndefined();
  });
});
