// The live bar's notes on a job's durability: what it resumed from, its last
// checkpoint (failures stand out), and the savepoint it stopped with. Each
// says the short version on screen and the whole of it in its tooltip, which
// screen readers read as well.
import { useEditor } from '../store/context.js';
import {
  checkpointDetail,
  checkpointFailures,
  checkpointText,
  flinkExplanation,
  flinkText,
  RESTARTED_EXPLANATION,
  restoredAfterRestartText,
  restoredExplanation,
  restoredText,
  savepointExplanation,
  savepointText,
} from './checkpoint-text.js';
import { formatAge, formatBytes, formatCount, formatDuration } from './format.js';

export function RestoredNote() {
  const from = useEditor((s) => s.live.job?.restoredFrom);
  const recovery = useEditor((s) => s.live.recovery);
  if (recovery === 'restarted') {
    return (
      <span className="job-restored" title={RESTARTED_EXPLANATION}>
        Started again from the beginning after a server restart
        <span className="visually-hidden">. {RESTARTED_EXPLANATION}</span>
      </span>
    );
  }
  if (!from) return null;
  const explanation = restoredExplanation(from);
  return (
    <span className="job-restored" title={explanation}>
      {recovery === 'restored' ? restoredAfterRestartText(from) : restoredText(from)}
      <span className="visually-hidden">. {explanation}</span>
    </span>
  );
}

/** Why the live view of an ended job ended: the failure, or how it ended unseen, or that it is gone. */
export function EndingNote() {
  const text = useEditor((s) => s.live.job?.failure?.message ?? s.live.job?.ending);
  if (!text) return null;
  return (
    <span className="job-ending" title={text}>
      {text}
    </span>
  );
}

export function CheckpointNote() {
  const figures = useEditor((s) => s.live.checkpoints);
  const at = useEditor((s) => s.live.clock?.at);
  const onFlink = useEditor((s) => s.live.job?.flink !== undefined);
  // Flink keeps its own checkpoints; the bar says where the job runs.
  if (onFlink) return <FlinkNote />;
  if (!figures || at === undefined) return null;
  const failures = checkpointFailures(figures);
  return (
    <span className="job-checkpoint" title={checkpointDetail(figures)}>
      {checkpointText(figures, at)}
      {failures && <span className="tone-error job-checkpoint-failed"> · {failures}</span>}
    </span>
  );
}

/** Where a job on Flink runs, and once stopped, the savepoint it can resume from. */
export function FlinkNote() {
  const flink = useEditor((s) => s.live.job?.flink);
  const running = useEditor((s) => s.live.job?.status === 'running');
  if (!flink) return null;
  const explanation = flinkExplanation(flink);
  return (
    <span className="job-flink" title={explanation} data-testid="job-flink">
      {flinkText(flink, running)}
      <span className="visually-hidden">. {explanation}</span>
    </span>
  );
}

export function SavepointNote() {
  const savepoint = useEditor((s) => s.live.job?.savepoint);
  const onFlink = useEditor((s) => s.live.job?.flink !== undefined);
  if (onFlink) return <FlinkNote />;
  if (!savepoint) return null;
  const explanation = savepointExplanation(savepoint);
  return (
    <span className="job-savepoint" title={explanation}>
      {savepointText(savepoint)}
      <span className="visually-hidden">. {explanation}</span>
    </span>
  );
}

/** The job panel's section on checkpoints, for a job that takes them. */
export function CheckpointFacts() {
  const figures = useEditor((s) => s.live.checkpoints);
  const at = useEditor((s) => s.live.clock?.at);
  const from = useEditor((s) => s.live.job?.restoredFrom);
  if (!figures && !from) return null;
  return (
    <section aria-label="Checkpoints">
      <h3>Checkpoints</h3>
      {from && <p className="small">{restoredExplanation(from)}</p>}
      {figures && (
        <dl className="facts">
          <dt>Last</dt>
          <dd>
            {figures.lastId === null || figures.lastAt === null || at === undefined
              ? 'none yet'
              : `${figures.lastId}, ${formatAge(at - figures.lastAt)}`}
          </dd>
          <dt>Took</dt>
          <dd>{figures.lastDurationMs === null ? '–' : formatDuration(figures.lastDurationMs)}</dd>
          <dt>Size</dt>
          <dd>{figures.lastBytes === null ? '–' : formatBytes(figures.lastBytes)}</dd>
          <dt>Taken</dt>
          <dd>{formatCount(figures.completed)}</dd>
          <dt>Failed</dt>
          <dd className={figures.failed > 0 ? 'tone-error' : ''}>{formatCount(figures.failed)}</dd>
        </dl>
      )}
    </section>
  );
}
