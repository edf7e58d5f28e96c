// The commands of a job: deploy the open pipeline, stop the job shown (with a
// savepoint or without), resume it from its savepoint, and go back to editing
// once it has ended.
import {
  canResume,
  deploy,
  deployBlocker,
  leaveLive,
  resumeBlocker,
  resumeJob,
  savepointBlocker,
  stopJob,
} from '../live/jobs.js';
import { isLive } from '../store/store.js';
import { defineCommand } from './command.js';

export const deployCommand = defineCommand({
  name: 'deploy',
  label: 'Deploy',
  description: 'Run the saved version of this pipeline and watch it live',
  shortcuts: ['Mod+Enter'],
  when: (s) => !isLive(s) && deployBlocker(s) === null,
  blocker: deployBlocker,
  pending: 'Starting the job…',
  run: ({ store }) => deploy(store),
  undo: 'none',
});

export const stopCommand = defineCommand({
  name: 'stop',
  label: 'Stop',
  description: 'Stop the job shown',
  shortcuts: ['Mod+.'],
  when: (s) => s.live.job?.status === 'running',
  pending: 'Stopping the job…',
  run: ({ store }) => stopJob(store),
  undo: 'none',
});

export const stopWithSavepointCommand = defineCommand({
  name: 'stop-savepoint',
  label: 'Stop with savepoint',
  description:
    'Save the state of the job shown, then stop it, so it can be resumed where it stopped',
  // Shift+letter like the app's other one-key commands; resumable, so a slip loses nothing.
  shortcuts: ['Shift+S'],
  // The server keeps a savepoint only for a job that takes checkpoints (its metrics say so).
  when: (s) => s.live.job?.status === 'running' && savepointBlocker(s) === null,
  blocker: savepointBlocker,
  pending: 'Taking a savepoint…',
  run: ({ store }) => stopJob(store, { savepoint: true }),
  undo: 'none',
});

export const resumeCommand = defineCommand({
  name: 'resume',
  label: 'Resume',
  description:
    'Start the job shown again from its savepoint, or its latest checkpoint, with the state it had there',
  shortcuts: ['Shift+R'],
  when: (s) => s.live.job !== null && canResume(s.live.job) && resumeBlocker(s) === null,
  blocker: resumeBlocker,
  pending: 'Resuming the job…',
  run: async ({ store }) => {
    const job = store.getState().live.job;
    if (!job) return;
    const problem = await resumeJob(store, job.id);
    if (problem) store.getState().notify({ tone: 'error', message: problem });
  },
  undo: 'none',
});

export const leaveLiveCommand = defineCommand({
  name: 'leave-live',
  label: 'Back to editing',
  description: 'Close the live view of the ended job and edit the pipeline again',
  shortcuts: ['Escape'],
  when: (s) => s.live.job !== null && s.live.job.status !== 'running',
  run: ({ store }) => leaveLive(store),
  undo: 'none',
});
