// The commands around the canvas: the pipeline, version and job lists, import
// and export, the theme and signing out.
import { api, errorMessage } from '../api/client.js';
import { chooseImportFile, copyExport, downloadExport } from '../pipelines/session.js';
import { defineCommand } from './command.js';

export const pipelinesCommand = defineCommand({
  name: 'pipelines',
  label: 'Pipelines',
  description: 'Pipelines: open, create, rename, delete',
  shortcuts: ['Shift+P'],
  when: () => true,
  run: ({ store }) => store.getState().openDialog('pipelines'),
  undo: 'none',
});

export const versionsCommand = defineCommand({
  name: 'versions',
  label: 'Version history',
  shortcuts: ['Shift+H'],
  when: () => true,
  run: ({ store }) => store.getState().openDialog('versions'),
  undo: 'none',
});

export const jobsCommand = defineCommand({
  name: 'jobs',
  label: 'Jobs',
  description: 'Jobs: running and finished',
  shortcuts: ['Shift+J'],
  when: () => true,
  run: ({ store }) => store.getState().openDialog('jobs'),
  undo: 'none',
});

export const whatIfCommand = defineCommand({
  name: 'what-if',
  label: 'What if',
  description:
    'Try the pipeline as edited on the records its running job recorded, beside the running version',
  shortcuts: ['Shift+W'],
  when: (s) => s.live.job === null && s.pipelineId !== null,
  blocker: (s) =>
    s.live.job !== null
      ? 'What if tries an edit: open the pipeline from Pipelines to edit it while its job runs'
      : s.pipelineId === null
        ? 'Save the pipeline first: What if replays the records of its running job'
        : null,
  run: ({ store }) => store.getState().openDialog('what-if'),
  undo: 'none',
});

export const importCommand = defineCommand({
  name: 'import',
  label: 'Import a pipeline file',
  description: 'Import a pipeline file (.json)',
  shortcuts: ['Mod+O'],
  when: () => true,
  run: () => chooseImportFile(),
  undo: 'none',
});

export const downloadCommand = defineCommand({
  name: 'download',
  label: 'Download as JSON',
  shortcuts: ['Mod+Shift+S'],
  when: () => true,
  run: ({ store }) => downloadExport(store),
  undo: 'none',
});

export const copyJsonCommand = defineCommand({
  name: 'copy-json',
  label: 'Copy JSON to the clipboard',
  shortcuts: ['Shift+C'],
  when: () => true,
  run: ({ store }) => copyExport(store),
  undo: 'none',
});

export const darkThemeCommand = defineCommand({
  name: 'dark-theme',
  label: 'Dark theme',
  shortcuts: ['Shift+D'],
  when: () => true,
  pressed: (s) => s.theme === 'dark',
  run: ({ store }) => {
    const { theme, setTheme } = store.getState();
    setTheme(theme === 'dark' ? 'light' : 'dark');
  },
  undo: 'none',
});

export const signOutCommand = defineCommand({
  name: 'sign-out',
  label: 'Sign out',
  description: "Sign out: ends this browser's session",
  shortcuts: [],
  when: () => true,
  run: ({ store }) =>
    api.signOut().then(
      () => store.getState().signOut(),
      (cause) => store.getState().notify({ tone: 'error', message: errorMessage(cause) }),
    ),
  undo: 'none',
});
