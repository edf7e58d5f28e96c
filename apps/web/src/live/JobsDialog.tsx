// Every job the server knows, running ones first: status (and what it resumed
// from, or the savepoint it stopped with), uptime, version, totals; each opens
// in its live view, and one stopped with a savepoint resumes from it.
// Refreshed every few seconds while open.
import type { JobSummary } from '@sluice/shared';
import { Eye, Play } from 'lucide-react';
import { useEffect, useState } from 'react';
import { api, errorMessage } from '../api/client.js';
import { Dialog } from '../app/Dialog.js';
import { useEditorStore } from '../store/context.js';
import {
  flinkExplanation,
  flinkText,
  restoredExplanation,
  restoredText,
  savepointExplanation,
  savepointText,
} from './checkpoint-text.js';
import { formatCount, formatDuration } from './format.js';
import { canResume, openJob, resumeJob } from './jobs.js';

const REFRESH_MS = 3_000;

export function JobsDialog() {
  const store = useEditorStore();
  const [jobs, setJobs] = useState<JobSummary[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // Kept apart from the list's own problem, which the next refresh clears.
  const [refusal, setRefusal] = useState<string | null>(null);
  const [resuming, setResuming] = useState<string | null>(null);
  const resume = async (job: JobSummary) => {
    setRefusal(null);
    setResuming(job.id);
    const why = await resumeJob(store, job.id);
    setResuming(null);
    if (why) setRefusal(why);
  };
  const close = () => store.getState().openDialog(null);

  useEffect(() => {
    let cancelled = false;
    const load = () =>
      api.jobs().then(
        (list) => {
          if (cancelled) return;
          setJobs(
            [...list].sort(
              (a, b) =>
                Number(b.status === 'running') - Number(a.status === 'running') ||
                b.startedAt - a.startedAt,
            ),
          );
          setProblem(null);
        },
        (cause) => !cancelled && setProblem(errorMessage(cause)),
      );
    void load();
    const timer = setInterval(load, REFRESH_MS);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, []);

  return (
    <Dialog title="Jobs" onClose={close} wide>
      {problem && <p className="tone-error">{problem}</p>}
      {refusal && (
        <p className="tone-error" role="alert">
          {refusal}
        </p>
      )}
      {jobs === null && !problem && <p className="muted">Loading…</p>}
      {jobs?.length === 0 && (
        <p className="muted">No jobs yet. Deploy a pipeline from the canvas to start one.</p>
      )}
      {jobs && jobs.length > 0 && (
        <div className="table-scroll">
          <table className="jobs-table" aria-label="Jobs">
            <thead>
              <tr>
                <th>Pipeline</th>
                <th>Status</th>
                <th>Version</th>
                <th>Started</th>
                <th>Up</th>
                <th className="num">Read</th>
                <th className="num">Written</th>
                <th className="num">Bad</th>
                <th className="num">Late</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {jobs.map((job) => (
                <tr key={job.id}>
                  <td>{job.name}</td>
                  <td>
                    <span className={`job-status job-status-${job.status}`}>{job.status}</span>
                    {job.failure && (
                      <div className="tone-error small" title={job.failure.message}>
                        {job.failure.message}
                      </div>
                    )}
                    {job.restoredFrom && (
                      <div
                        className="job-restored small"
                        title={restoredExplanation(job.restoredFrom)}
                      >
                        {restoredText(job.restoredFrom)}
                      </div>
                    )}
                    {job.flink && (
                      <div className="job-flink small" title={flinkExplanation(job.flink)}>
                        {flinkText(job.flink, job.status === 'running')}
                        {job.flink.jobId && (
                          <span className="muted"> · job {job.flink.jobId.slice(0, 8)}</span>
                        )}
                      </div>
                    )}
                    {job.savepoint && job.status !== 'running' && (
                      <div
                        className="job-savepoint small"
                        title={savepointExplanation(job.savepoint)}
                      >
                        {savepointText(job.savepoint)}
                      </div>
                    )}
                  </td>
                  <td>{job.pipelineVersion ?? '–'}</td>
                  <td>{new Date(job.startedAt).toLocaleTimeString()}</td>
                  <td>{formatDuration(job.uptimeMs)}</td>
                  <td className="num">{formatCount(job.totals.recordsIn)}</td>
                  <td className="num">{formatCount(job.totals.recordsOut)}</td>
                  <td className={`num${job.totals.errors > 0 ? ' tone-error' : ''}`}>
                    {formatCount(job.totals.errors)}
                  </td>
                  <td className="num">{formatCount(job.totals.late)}</td>
                  <td>
                    <div className="job-row-actions">
                      {canResume(job) && (!job.flink || job.flink.savepoint) && (
                        <button
                          type="button"
                          className={job.savepoint || job.flink ? 'button primary' : 'button'}
                          disabled={resuming !== null || job.pipelineId === undefined}
                          title={
                            job.flink
                              ? flinkExplanation(job.flink)
                              : job.savepoint
                                ? savepointExplanation(job.savepoint)
                                : 'Start it again from its latest checkpoint, with the state it had there (if it took one)'
                          }
                          aria-label={`Resume the job of ${job.name} started ${new Date(job.startedAt).toLocaleTimeString()}`}
                          onClick={() => void resume(job)}
                        >
                          <Play size={12} aria-hidden="true" />{' '}
                          {resuming === job.id ? 'Resuming…' : 'Resume'}
                        </button>
                      )}
                      <button
                        type="button"
                        className="button"
                        disabled={job.pipelineId === undefined}
                        title={
                          job.pipelineId === undefined
                            ? 'Deployed from a document that is not stored, so it has no canvas'
                            : 'Show this job on the canvas'
                        }
                        aria-label={`Open the job of ${job.name} started ${new Date(job.startedAt).toLocaleTimeString()}`}
                        onClick={() => void openJob(store, job)}
                      >
                        <Eye size={14} aria-hidden="true" /> Open
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Dialog>
  );
}
