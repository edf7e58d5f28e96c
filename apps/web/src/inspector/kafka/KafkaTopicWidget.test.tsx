// @vitest-environment jsdom
// The Kafka source's form against a stubbed server (the real routes are
// tested against a real broker in apps/server/src/routes/kafka.kafka.test.ts).

import { PIPELINE_FORMAT, type Pipeline } from '@sluice/shared';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EditorProvider } from '../../store/context.js';
import { testStore } from '../../testing/fixtures.js';
import { Inspector } from '../Inspector.js';

const SAMPLE = {
  messages: [
    {
      partition: 0,
      offset: '41',
      timestamp: 1714557600000,
      key: 'c1',
      value: '{"order_id":41,"amount":2.5,"ts":"2024-05-01T10:00:00Z"}',
      truncated: false,
    },
  ],
  inferred: {
    format: 'json',
    fields: [
      { name: 'order_id', type: 'long' },
      { name: 'amount', type: 'double' },
      { name: 'ts', type: 'timestamp' },
    ],
    eventTimeField: 'ts',
    skipped: [{ name: 'meta', reason: 'nested objects and arrays are not read yet' }],
    sampled: 1,
    unreadable: 0,
  },
};

const urls: string[] = [];
beforeEach(() => {
  urls.length = 0;
  vi.stubGlobal('fetch', async (url: string) => {
    urls.push(url);
    const body = url.startsWith('/api/kafka/topics?')
      ? [
          { name: 'orders', partitions: 3, messages: 1234 },
          { name: 'payments', partitions: 1, messages: 0 },
        ]
      : SAMPLE;
    return new Response(JSON.stringify(body), { status: 200 });
  });
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function kafkaPipeline(): Pipeline {
  return {
    format: PIPELINE_FORMAT,
    name: 'Kafka',
    nodes: [
      {
        id: 'in',
        kind: 'source.kafka',
        position: { x: 0, y: 0 },
        config: {
          bootstrapServers: 'broker:9092',
          topics: ['events'],
          group: 'sluice',
          format: 'raw',
          schema: [{ name: 'value', type: 'string' }],
        },
      },
    ],
    edges: [],
  };
}

describe('the Kafka topic widget', () => {
  it('offers the cluster’s topics, samples one, and fills the schema in one undoable edit', async () => {
    const store = testStore(kafkaPipeline());
    store.getState().select({ nodes: new Set(['in']), edges: new Set() });
    render(
      <EditorProvider store={store}>
        <Inspector />
      </EditorProvider>,
    );
    const select = (await screen.findByDisplayValue(
      /events \(not on the cluster yet\)/,
    )) as HTMLSelectElement;
    expect(urls[0]).toBe('/api/kafka/topics?bootstrap=broker%3A9092');
    expect([...select.options].map((o) => o.textContent)).toContain(
      'orders · 1,234 messages · 3 partitions',
    );
    fireEvent.change(select, { target: { value: 'orders' } });
    const config = () => store.getState().document.nodes[0]!.config as Record<string, unknown>;
    expect(config().topics).toEqual(['orders']);

    fireEvent.click(screen.getByRole('button', { name: 'Sample & infer schema' }));
    await screen.findByRole('list', { name: 'Inferred fields' });
    expect(urls[1]).toBe('/api/kafka/topics/orders/sample?bootstrap=broker%3A9092&limit=20');
    expect(screen.getByText(/"order_id":41/)).toBeTruthy();
    expect(screen.getByText(/nested objects/)).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Use this schema' }));
    expect(config()).toMatchObject({
      topics: ['orders'],
      format: 'json',
      schema: SAMPLE.inferred.fields,
      eventTime: { field: 'ts', maxOutOfOrderness: '5s' },
    });
    store.getState().undo();
    expect(config()).toMatchObject({ topics: ['orders'], format: 'raw' });
    expect(config().eventTime).toBeUndefined();
  });

  it('says why the topics could not be listed, and still takes a typed name', async () => {
    vi.stubGlobal(
      'fetch',
      async () =>
        new Response(
          JSON.stringify({
            error: { code: 'unavailable', message: 'Could not reach Kafka at broker:9092' },
          }),
          { status: 503 },
        ),
    );
    const store = testStore(kafkaPipeline());
    store.getState().select({ nodes: new Set(['in']), edges: new Set() });
    render(
      <EditorProvider store={store}>
        <Inspector />
      </EditorProvider>,
    );
    await screen.findByText('Could not reach Kafka at broker:9092');
    await waitFor(() => expect(screen.getByDisplayValue('events')).toBeTruthy());
  });
});
