// The header's end: Deploy while editing (disabled with the reason), and
// while a job is shown, its state, its uptime, Stop and Back to editing.
import type { JobStatus } from '@sluice/shared';
import { ArrowLeft, Rocket, Square } from 'lucide-react';
import { useState } from 'react';
import { useEditor, useEditorStore } from '../store/context.js';
import { formatDuration } from './format.js';
import { deploy, deployBlocker, leaveLive, stopJob } from './jobs.js';

const STATUS_TEXT: Record<JobStatus, string> = {
  running: 'Live — job running',
  finished: 'Job finished',
  stopped: 'Job stopped',
  failed: 'Job failed',
};

export function LiveBar() {
  const live = useEditor((s) => s.live.job !== null);
  return live ? <JobControls /> : <DeployButton />;
}

function DeployButton() {
  const store = useEditorStore();
  const blocker = useEditor(deployBlocker);
  const [busy, setBusy] = useState(false);
  const reason = busy ? 'Starting the job…' : blocker;
  return (
    <span title={reason ?? 'Run the saved version of this pipeline and watch it live'}>
      <button
        type="button"
        className="button primary"
        disabled={reason !== null}
        aria-describedby={reason ? 'deploy-reason' : undefined}
        onClick={async () => {
          setBusy(true);
          try {
            await deploy(store);
          } finally {
            setBusy(false);
          }
        }}
      >
        <Rocket size={14} aria-hidden="true" /> Deploy
      </button>
      {reason && (
        <span id="deploy-reason" className="visually-hidden">
          {reason}
        </span>
      )}
    </span>
  );
}

function JobControls() {
  const store = useEditorStore();
  const status = useEditor((s) => s.live.job?.status ?? 'running');
  const version = useEditor((s) => s.live.job?.version);
  const uptime = useEditor((s) => s.live.clock?.uptimeMs);
  const connection = useEditor((s) => s.live.connection);
  const [stopping, setStopping] = useState(false);
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
        <button
          type="button"
          className="button danger"
          disabled={stopping}
          onClick={async () => {
            setStopping(true);
            await stopJob(store);
            setStopping(false);
          }}
        >
          <Square size={12} aria-hidden="true" /> Stop
        </button>
      ) : (
        <button type="button" className="button" onClick={() => void leaveLive(store)}>
          <ArrowLeft size={14} aria-hidden="true" /> Back to editing
        </button>
      )}
    </div>
  );
}
