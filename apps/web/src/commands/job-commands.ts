// The commands of a job: deploy the open pipeline, stop the job shown, and go
// back to editing once it has ended.
import { deploy, deployBlocker, leaveLive, stopJob } from '../live/jobs.js';
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

export const leaveLiveCommand = defineCommand({
  name: 'leave-live',
  label: 'Back to editing',
  description: 'Close the live view of the ended job and edit the pipeline again',
  shortcuts: ['Escape'],
  when: (s) => s.live.job !== null && s.live.job.status !== 'running',
  run: ({ store }) => leaveLive(store),
  undo: 'none',
});
