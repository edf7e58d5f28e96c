// Where the pipeline runs: Sluice's own engine, or a Flink cluster the server
// knows. On Flink the canvas shows what the compiler says of each node (the
// live analysis adds it), and the SQL it compiles to can be read and copied.
import { compileToFlinkSql } from '@sluice/flink';
import type { Pipeline } from '@sluice/shared';
import { useEffect, useMemo, useState } from 'react';
import { api, errorMessage } from '../api/client.js';
import { onFlink } from '../diagnostics/analysis.js';
import { useEditor, useEditorStore } from '../store/context.js';

const EMBEDDED = 'embedded';

export function TargetField() {
  const store = useEditorStore();
  const target = useEditor((s) => s.document.settings?.target ?? EMBEDDED);
  const live = useEditor((s) => s.live.job !== null);
  const [clusters, setClusters] = useState<string[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    api.flinkClusters().then(
      (list) => !cancelled && setClusters(list.map((c) => c.name)),
      (cause) => !cancelled && setProblem(errorMessage(cause)),
    );
    return () => {
      cancelled = true;
    };
  }, []);
  const options = [EMBEDDED, ...(clusters ?? []).map((name) => `flink:${name}`)];
  // A target the server does not know (a document from elsewhere) stays shown, and is said so.
  const unknown = !options.includes(target);
  const choose = (value: string) =>
    store.getState().edit('Choose where it runs', (doc): Pipeline => {
      const { target: _old, ...settings } = doc.settings ?? {};
      const next = value === EMBEDDED ? settings : { ...settings, target: value };
      const { settings: _s, ...rest } = doc;
      return Object.keys(next).length === 0 ? rest : { ...rest, settings: next };
    });
  return (
    <>
      <label className="form-row">
        <span>Runs on</span>
        <select
          className="input"
          value={target}
          disabled={live}
          onChange={(e) => choose(e.target.value)}
        >
          {options.map((value) => (
            <option key={value} value={value}>
              {value === EMBEDDED ? 'Sluice (embedded)' : `Flink: ${value.slice('flink:'.length)}`}
            </option>
          ))}
          {unknown && (
            <option value={target}>
              {`Flink: ${target.slice('flink:'.length)} (not known to this server)`}
            </option>
          )}
        </select>
      </label>
      {clusters !== null && clusters.length === 0 && (
        <p className="muted small">
          No Flink cluster is known to this server: start it with --flink to offer one.
        </p>
      )}
      {problem && <p className="muted small">Flink clusters could not be listed: {problem}</p>}
      {unknown && (
        <p className="tone-error small" role="alert">
          This server knows no Flink cluster '{target.slice('flink:'.length)}': a deploy is refused.
        </p>
      )}
      {target !== EMBEDDED && <FlinkSql />}
    </>
  );
}

/** The Flink SQL of the pipeline as it is now, to read or copy. */
function FlinkSql() {
  const document = useEditor((s) => s.document);
  const schemas = useEditor((s) => s.analysis.schemas);
  const store = useEditorStore();
  const compiled = useMemo(
    () => (onFlink(document) ? compileToFlinkSql(document, schemas) : undefined),
    [document, schemas],
  );
  if (!compiled) return null;
  const text = `${compiled.statements.map((s) => `${s};`).join('\n\n')}\n`;
  const errors = compiled.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = compiled.diagnostics.length - errors;
  return (
    <details className="flink-sql">
      <summary>
        Flink SQL{' '}
        <span className="muted small">
          {errors > 0
            ? `${errors} step${errors === 1 ? '' : 's'} cannot run on Flink`
            : `compiles${warnings > 0 ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}`}
        </span>
      </summary>
      <button
        type="button"
        className="button small"
        onClick={() =>
          void navigator.clipboard.writeText(text).then(
            () => store.getState().notify({ tone: 'info', message: 'Flink SQL copied.' }),
            (cause) => store.getState().notify({ tone: 'error', message: errorMessage(cause) }),
          )
        }
      >
        Copy
      </button>
      <pre className="code" data-testid="flink-sql">
        {text}
      </pre>
    </details>
  );
}
