// How many instances the job runs as (settings.parallelism): each in its own
// thread with a share of the Kafka partitions; on Flink, its parallelism.
// What cannot be split is said on the steps by validation, as any problem is.
import { MAX_PARALLELISM, type Pipeline, type PipelineSettings } from '@sluice/shared';
import { useEditor, useEditorStore } from '../store/context.js';

type Parallelism = NonNullable<PipelineSettings['parallelism']>;

const CHOICES: readonly Parallelism[] = [1, 2, 3, 4, 6, 8, 'auto'];

export function InstancesField() {
  const store = useEditorStore();
  const value = useEditor((s) => s.document.settings?.parallelism ?? 1);
  const onFlink = useEditor((s) => s.document.settings?.target?.startsWith('flink:') ?? false);
  const live = useEditor((s) => s.live.job !== null);
  // A value typed into the JSON stays shown.
  const choices = CHOICES.includes(value) ? CHOICES : [...CHOICES, value];
  const choose = (text: string) => {
    const next: Parallelism = text === 'auto' ? 'auto' : Number(text);
    store.getState().edit('Choose how many instances', (doc): Pipeline => {
      const { parallelism: _old, ...settings } = doc.settings ?? {};
      const changed = next === 1 ? settings : { ...settings, parallelism: next };
      const { settings: _s, ...rest } = doc;
      return Object.keys(changed).length === 0 ? rest : { ...rest, settings: changed };
    });
  };
  return (
    <>
      <label className="form-row">
        <span>Instances</span>
        <select
          className="input"
          value={String(value)}
          disabled={live}
          onChange={(e) => choose(e.target.value)}
        >
          {choices.map((c) => (
            <option key={String(c)} value={String(c)}>
              {c === 'auto' ? 'auto (one per core)' : c === 1 ? '1 (one thread)' : String(c)}
            </option>
          ))}
        </select>
      </label>
      <p className="muted small">
        {onFlink
          ? 'On Flink: the job’s parallelism (auto: the cluster’s default).'
          : value === 1
            ? 'The job runs in one thread. More instances share a Kafka source’s partitions, each in its own thread; every keyed step must then group by the topic’s key.'
            : `Each instance reads its share of the Kafka partitions in its own thread (at most ${MAX_PARALLELISM}); every keyed step must group by the topic’s key, and files and generators cannot be shared.`}
      </p>
    </>
  );
}
