// The header's end: Deploy while editing (disabled with the reason), and
// while a job is shown, its state, what it resumed from, its uptime and
// checkpoints, Stop (or Stop with savepoint), and once it has ended, Resume
// (when it can) and Back to editing. The facts give way, cut short, before
// the controls do: Stop stays on screen on a narrow window.
import { ArrowLeft, Play, Rocket, Square } from 'lucide-react';
import { CommandButton } from '../commands/CommandButton.js';
import { CommandMenu } from '../commands/CommandMenu.js';
import { useEditor } from '../store/context.js';
import { CheckpointNote, EndingNote, RestoredNote, SavepointNote } from './CheckpointNotes.js';
import { formatDuration } from './format.js';
import { canResume, resumeBlocker } from './jobs.js';
import type { LiveStatus } from './live.js';

const STATUS_TEXT: Record<Exclude<LiveStatus, 'running'>, string> = {
  finished: 'Job finished',
  stopped: 'Job stopped',
  failed: 'Job failed',
  gone: 'Job gone',
};

const RECONNECTING_TITLE =
  'The connection to the server was lost. The page keeps trying, less often as time goes on, and follows the job again as soon as the server answers.';

/** The Stop button's menu: the ways to end a job (named without "Stop", so `Stop` names one button). */
export const STOP_MENU_LABEL = 'Choose how the job ends';

export function LiveBar() {
  const live = useEditor((s) => s.live.job !== null);
  return live ? (
    <JobControls />
  ) : (
    <CommandButton name="deploy" look="button primary">
      <Rocket size={14} aria-hidden="true" />
    </CommandButton>
  );
}

function JobControls() {
  const status = useEditor((s) => s.live.job?.status ?? 'running');
  const version = useEditor((s) => s.live.job?.version);
  const uptime = useEditor((s) => s.live.clock?.uptimeMs);
  const reconnecting = useEditor(
    (s) => s.live.job?.status === 'running' && s.live.connection === 'reconnecting',
  );
  const retries = useEditor((s) => s.live.retries);
  const resumable = useEditor(
    (s) => s.live.job !== null && canResume(s.live.job) && resumeBlocker(s) === null,
  );
  return (
    <div className="job-controls">
      <output
        className={`job-state job-state-${reconnecting ? 'reconnecting' : status}`}
        aria-live="polite"
        title={
          reconnecting
            ? `${RECONNECTING_TITLE}${retries > 0 ? ` Tries so far: ${retries}.` : ''}`
            : undefined
        }
      >
        {status === 'running' && !reconnecting && <span className="pulse" aria-hidden="true" />}
        {reconnecting ? (
          'Reconnecting…'
        ) : status === 'running' ? (
          // On a narrow window "Live" says enough, and the room goes to the facts.
          <>
            Live<span className="job-state-more"> — job running</span>
          </>
        ) : (
          STATUS_TEXT[status]
        )}
      </output>
      <span className="job-facts muted small">
        {status === 'running' ? <RestoredNote /> : <EndingNote />}
        <span className="job-facts-line">
          {uptime !== undefined && <span>up {formatDuration(uptime)}</span>}
          {status === 'running' ? <CheckpointNote /> : <SavepointNote />}
          {version !== undefined && <span>version {version}</span>}
        </span>
      </span>
      {status === 'running' ? (
        <span className="split-button">
          <CommandButton name="stop" look="button danger">
            <Square size={12} aria-hidden="true" />
          </CommandButton>
          <CommandMenu
            label={STOP_MENU_LABEL}
            names={['stop', 'stop-savepoint']}
            look="button danger"
          />
        </span>
      ) : (
        <span className="job-actions">
          {resumable && (
            <CommandButton name="resume" look="button primary">
              <Play size={12} aria-hidden="true" />
            </CommandButton>
          )}
          <CommandButton name="leave-live" look="button">
            <ArrowLeft size={14} aria-hidden="true" />
          </CommandButton>
        </span>
      )}
    </div>
  );
}
