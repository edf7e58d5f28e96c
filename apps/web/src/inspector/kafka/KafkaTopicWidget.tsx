// The 'kafka-topic' widget: a topic picked from the cluster named by the
// config's `bootstrapServers` (with message counts, refreshed on demand), and
// a sample of its latest messages whose inferred schema can fill the form in
// one undoable edit.
import type { WidgetProps } from '@rjsf/utils';
import type { KafkaSample, KafkaTopic } from '@sluice/shared';
import { useCallback, useEffect, useState } from 'react';
import { api, errorMessage } from '../../api/client.js';
import { updateNode } from '../../document/document.js';
import { useEditor, useEditorStore } from '../../store/context.js';
import type { FormContext } from '../widgets/use-input-fields.js';
import { applyInferredSchema } from './inferred-config.js';

type Topics =
  | { state: 'loading' }
  | { state: 'ready'; topics: KafkaTopic[] }
  | { state: 'failed'; message: string };

const count = new Intl.NumberFormat('en');

export function KafkaTopicWidget(props: WidgetProps) {
  const { id, value, onChange, onBlur, disabled, readonly, label } = props;
  const { nodeId } = props.registry.formContext as FormContext;
  const bootstrap = useEditor((s) => {
    const config = s.document.nodes.find((n) => n.id === nodeId)?.config as
      | { bootstrapServers?: unknown }
      | undefined;
    return typeof config?.bootstrapServers === 'string' ? config.bootstrapServers : '';
  });
  const current = typeof value === 'string' ? value : '';
  const [topics, setTopics] = useState<Topics>({ state: 'loading' });
  const [sample, setSample] = useState<KafkaSample | { failed: string } | 'loading'>();

  const refresh = useCallback(() => {
    if (bootstrap === '') return;
    setTopics({ state: 'loading' });
    api.kafkaTopics(bootstrap).then(
      (list) => setTopics({ state: 'ready', topics: list }),
      (cause: unknown) => setTopics({ state: 'failed', message: errorMessage(cause) }),
    );
  }, [bootstrap]);
  useEffect(refresh, [refresh]);

  const takeSample = () => {
    setSample('loading');
    api
      .kafkaSample(bootstrap, current)
      .then(setSample, (cause: unknown) => setSample({ failed: errorMessage(cause) }));
  };

  const choose = (name: string) => {
    setSample(undefined);
    onChange(name === '' ? undefined : name);
  };
  const listed = topics.state === 'ready' && topics.topics.length > 0 ? topics.topics : undefined;
  return (
    <div className="kafka-topic">
      <div className="kafka-topic-row">
        {listed ? (
          <select
            id={id}
            className="input"
            value={current}
            aria-label={label}
            disabled={disabled || readonly}
            onChange={(e) => choose(e.target.value)}
            onBlur={(e) => onBlur(id, e.target.value)}
          >
            <option value="">Choose a topic…</option>
            {!listed.some((t) => t.name === current) && current !== '' && (
              <option value={current}>{current} (not on the cluster yet)</option>
            )}
            {listed.map((t) => (
              <option key={t.name} value={t.name}>
                {t.name} · {count.format(t.messages)} messages · {t.partitions} partition
                {t.partitions === 1 ? '' : 's'}
              </option>
            ))}
          </select>
        ) : (
          <input
            id={id}
            className="input"
            value={current}
            aria-label={label}
            disabled={disabled || readonly}
            onChange={(e) => choose(e.target.value)}
            onBlur={(e) => onBlur(id, e.target.value)}
          />
        )}
        <button
          type="button"
          className="button small"
          aria-label="Refresh topics"
          title={`Read the topics of ${bootstrap} again`}
          onClick={refresh}
        >
          ↻
        </button>
      </div>
      {topics.state === 'failed' && <p className="small tone-error">{topics.message}</p>}
      {topics.state === 'ready' && topics.topics.length === 0 && (
        <p className="small muted">The cluster has no topics yet: type a name.</p>
      )}
      <button
        type="button"
        className="button small"
        disabled={current === '' || bootstrap === '' || sample === 'loading'}
        onClick={takeSample}
      >
        {sample === 'loading' ? 'Sampling…' : 'Sample & infer schema'}
      </button>
      {sample !== undefined && sample !== 'loading' && (
        <SamplePanel nodeId={nodeId} sample={sample} onDone={() => setSample(undefined)} />
      )}
    </div>
  );
}

function SamplePanel({
  nodeId,
  sample,
  onDone,
}: {
  nodeId: string;
  sample: KafkaSample | { failed: string };
  onDone: () => void;
}) {
  const store = useEditorStore();
  if ('failed' in sample) return <p className="small tone-error">{sample.failed}</p>;
  const { messages, inferred } = sample;
  const use = () => {
    store.getState().edit('Use inferred schema', (doc) =>
      updateNode(doc, nodeId, (node) => ({
        ...node,
        config: applyInferredSchema((node.config ?? {}) as Record<string, unknown>, inferred),
      })),
    );
    onDone();
  };
  return (
    <section className="kafka-sample" aria-label="Sample">
      <p className="small muted">
        {messages.length === 0
          ? 'The topic has no messages to sample.'
          : `The latest ${messages.length} message${messages.length === 1 ? '' : 's'}, newest first:`}
      </p>
      {messages.length > 0 && (
        <ol className="kafka-sample-messages small">
          {messages.slice(0, 5).map((m) => (
            <li key={`${m.partition}@${m.offset}`}>
              <code>{shorten(m.value ?? '(no value)')}</code>
            </li>
          ))}
        </ol>
      )}
      {inferred.fields.length > 0 && (
        <>
          <p className="small">
            Inferred ({inferred.format.toUpperCase()}
            {inferred.unreadable > 0 ? `, ${inferred.unreadable} messages not readable` : ''}):
          </p>
          <ul className="kafka-sample-fields small" aria-label="Inferred fields">
            {inferred.fields.map((f) => (
              <li key={f.name}>
                <code>{f.name}</code> · {f.type}
                {f.name === inferred.eventTimeField ? ' · event time' : ''}
              </li>
            ))}
          </ul>
          {inferred.skipped.map((s) => (
            <p key={s.name} className="small muted">
              Left out <code>{s.name}</code>: {s.reason}.
            </p>
          ))}
          <button type="button" className="button small primary" onClick={use}>
            Use this schema
          </button>
        </>
      )}
    </section>
  );
}

function shorten(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}
