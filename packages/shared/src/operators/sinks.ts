// The sinks without files: console, preview and blackhole.
import { type Static, Type } from 'typebox';
import { Defaulted } from '../catalog/configured.js';
import { defineOperator, IN } from '../catalog/operator.js';
import { writesEach } from '../catalog/parallel.js';
import { stateless } from '../catalog/state.js';

const ConsoleSinkConfig = Type.Object(
  {
    format: Defaulted(
      Type.Union([Type.Literal('json'), Type.Literal('table')], {
        title: 'Format',
        description: 'One JSON object per line, or aligned columns',
      }),
      'json',
    ),
  },
  { additionalProperties: false },
);
export type ConsoleSinkConfig = Static<typeof ConsoleSinkConfig>;

export const sinkConsole = defineOperator({
  kind: 'sink.console',
  label: 'Console',
  category: 'sink',
  description:
    'Prints records as lines: below the canvas while the job is shown, and in the terminal of the server or of `sluice run`. At most 20 lines a second, each cut at 1000 characters; the records left out are counted.',
  icon: 'terminal',
  inputs: [IN],
  outputs: [],
  shows: 'lines',
  delivery: 'at-least-once',
  config: ConsoleSinkConfig,
  defaults: { format: 'json' },
  parallel: writesEach(),
  state: { holds: 'its latest lines and counts', fields: { format: 'free' } },
  infer: () => ({}),
});

const PreviewSinkConfig = Type.Object(
  {
    capacity: Defaulted(
      Type.Integer({
        minimum: 1,
        maximum: 10_000,
        title: 'Keep',
        description: 'How many of the latest results to keep for the preview',
      }),
      200,
    ),
  },
  { additionalProperties: false },
);
export type PreviewSinkConfig = Static<typeof PreviewSinkConfig>;

export const sinkPreview = defineOperator({
  kind: 'sink.preview',
  label: 'Preview',
  category: 'sink',
  description: 'Keeps the latest results so the canvas can show them as a table and a chart.',
  icon: 'table',
  inputs: [IN],
  outputs: [],
  shows: 'rows',
  delivery: 'at-least-once',
  config: PreviewSinkConfig,
  defaults: { capacity: 200 },
  parallel: writesEach(),
  state: { holds: 'its latest results', fields: { capacity: 'shapes' } },
  infer: () => ({}),
});

export const sinkBlackhole = defineOperator({
  kind: 'sink.blackhole',
  label: 'Discard',
  category: 'sink',
  description: 'Accepts records and throws them away; for benchmarks and dry runs.',
  icon: 'trash-2',
  inputs: [IN],
  outputs: [],
  delivery: 'at-least-once',
  config: Type.Object({}, { additionalProperties: false }),
  defaults: {},
  parallel: writesEach(),
  state: stateless({}),
  infer: () => ({}),
});
