// The commands of the view around the canvas: the side panel (the inspector,
// or the live inspector) and the results below a live job, each shown or
// hidden, as the page remembers (app/effects.ts); and the bottleneck view of a
// live job.
import { isLive } from '../store/store.js';
import { defineCommand } from './command.js';

export const sidePanelCommand = defineCommand({
  name: 'side-panel',
  label: 'Side panel',
  description: 'Show or hide the side panel (the selected step’s settings, or the job’s records)',
  shortcuts: ['Shift+I'],
  when: () => true,
  pressed: (s) => s.panels.side,
  run: ({ store }) => {
    const { panels, setPanels } = store.getState();
    setPanels({ side: !panels.side });
  },
  undo: 'none',
});

export const resultsPanelCommand = defineCommand({
  name: 'results-panel',
  label: 'Results panel',
  description: 'Show or hide the job’s results below the canvas',
  shortcuts: ['Shift+B'],
  when: isLive,
  pressed: (s) => s.panels.results,
  run: ({ store }) => {
    const { panels, setPanels } = store.getState();
    setPanels({ results: !panels.results });
  },
  undo: 'none',
});

export const bottlenecksCommand = defineCommand({
  name: 'bottlenecks',
  label: 'Bottlenecks',
  description:
    'Colour each step by how busy it is, show its hottest keys, and name what limits the job',
  shortcuts: ['Shift+K'],
  when: isLive,
  pressed: (s) => s.panels.bottlenecks,
  run: ({ store }) => {
    const { panels, setPanels } = store.getState();
    setPanels({ bottlenecks: !panels.bottlenecks });
  },
  undo: 'none',
});
