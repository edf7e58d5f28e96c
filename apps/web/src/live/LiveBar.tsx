// The header's end: Deploy while editing (disabled with the reason), and
// while a job is shown, its state, its uptime, Stop and Back to editing.
import type { JobStatus } from '@sluice/shared';
import { ArrowLeft, Rocket, Square } from 'lucide-react';
import { CommandButton } from '../commands/CommandButton.js';
import { useEditor } from '../store/context.js';
import { formatDuration } from './format.js';

const STATUS_TEXT: Record<JobStatus, string> = {
  running: 'Live — job running',
  finished: 'Job finished',
  stopped: 'Job stopped',
  failed: 'Job failed',
};

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
  const connection = useEditor((s) => s.live.connection);
  return (
    <div className="job-controls">
      <output className={`job-state job-state-${status}`} aria-live="polite">
        {status === 'running' && <span className="pulse" aria-hidden="true" />}
        {STATUS_TEXT[status]}
        {connection === 'lost' && status === 'running' ? ' (connection lost)' : ''}
      </output>
      <span className="muted small">
        {version !== undefined && `version ${version}`}
        {uptime !== undefined && ` · up ${formatDuration(uptime)}`}
      </span>
      {status === 'running' ? (
        <CommandButton name="stop" look="button danger">
          <Square size={12} aria-hidden="true" />
        </CommandButton>
      ) : (
        <CommandButton name="leave-live" look="button">
          <ArrowLeft size={14} aria-hidden="true" />
        </CommandButton>
      )}
    </div>
  );
}
