// Window shapes, shared by window.aggregate and the window join.
import { type Static, Type } from 'typebox';
import { DurationSchema, parseDuration } from '../schema/duration.js';
import type { StreamSchema } from '../schema/field.js';

export const TumblingSchema = Type.Object(
  {
    type: Type.Literal('tumbling'),
    size: DurationSchema({ title: 'Size', description: 'Length of each window, e.g. 1m' }),
  },
  { additionalProperties: false, title: 'Tumbling' },
);

export const WindowSchema = Type.Union(
  [
    TumblingSchema,
    Type.Object(
      {
        type: Type.Literal('hopping'),
        size: DurationSchema({ title: 'Size', description: 'Length of each window, e.g. 10s' }),
        slide: DurationSchema({
          title: 'Slide',
          description: 'A new window starts this often, e.g. 2s; the size must be a multiple of it',
        }),
      },
      { additionalProperties: false, title: 'Hopping' },
    ),
    Type.Object(
      {
        type: Type.Literal('session'),
        gap: DurationSchema({
          title: 'Gap',
          description: 'A session closes after this long without records for its key',
        }),
      },
      { additionalProperties: false, title: 'Session' },
    ),
  ],
  { title: 'Window' },
);
export type WindowConfig = Static<typeof WindowSchema>;

export const TimeModeSchema = Type.Union(
  [
    Type.Literal('event', { title: 'Event time' }),
    Type.Literal('processing', { title: 'Processing time' }),
  ],
  {
    title: 'Time',
    description: 'Event time (from the records, with watermarks) or processing time (the clock)',
  },
);

type Report = (path: string, code: string, message: string) => void;

/** A hopping window puts each record in size/slide windows; past this, one record could exhaust memory. */
export const MAX_WINDOWS_PER_RECORD = 10_000;

/** The longest window duration, 100 000 days: longer ones would place windows outside time. */
export const MAX_WINDOW_MS = 100_000 * 86_400_000;

/** Checks the window's durations against each other. */
export function checkWindow(window: WindowConfig, error: Report): void {
  const positive = (key: string, text: string) => {
    const ms = parseDuration(text);
    if (ms === 0) {
      error(`window.${key}`, 'config.duration', `The window ${key} must be longer than 0.`);
    } else if (ms !== undefined && ms > MAX_WINDOW_MS) {
      error(
        `window.${key}`,
        'config.duration',
        `The window ${key} (${text}) is longer than 100000d, the longest window Sluice can place in time.`,
      );
    }
  };
  if (window.type === 'session') {
    positive('gap', window.gap);
    return;
  }
  positive('size', window.size);
  if (window.type === 'hopping') {
    positive('slide', window.slide);
    const size = parseDuration(window.size) ?? 0;
    const slide = parseDuration(window.slide) ?? 0;
    if (slide > 0 && size % slide !== 0) {
      error(
        'window.slide',
        'config.window-slide',
        `The window size (${window.size}) must be a whole multiple of the slide (${window.slide}).`,
      );
    } else if (slide > 0 && size / slide > MAX_WINDOWS_PER_RECORD) {
      error(
        'window.slide',
        'config.window-slide',
        `A hopping window of ${window.size} every ${window.slide} puts each record in ${size / slide} windows; at most ${MAX_WINDOWS_PER_RECORD} are allowed. Make the slide longer or the size shorter.`,
      );
    }
  }
}

/** Event-time operators need inputs that carry event time. */
export function checkEventTimeInput(
  input: StreamSchema,
  port: string,
  error: (path: string | undefined, code: string, message: string) => void,
): boolean {
  if (input.time === 'event') return true;
  error(
    undefined,
    'node.no-event-time',
    `The ${port} input has no event time. Set 'Event time' on its source, or switch this node to processing time.`,
  );
  return false;
}
