import type { Field } from '../schema/field.js';
import type { EventTimeConfig } from './common.js';

/** Reports an event-time field that is missing or not a timestamp; true when it is fine. */
export function checkEventTime(
  eventTime: EventTimeConfig,
  fields: readonly Field[],
  error: (path: string, code: string, message: string) => void,
): boolean {
  const field = fields.find((f) => f.name === eventTime.field);
  if (!field) {
    error(
      'eventTime.field',
      'config.event-time-field',
      `Event time field '${eventTime.field}' is not one of this source's fields (${fields.map((f) => f.name).join(', ')}).`,
    );
    return false;
  }
  if (field.type !== 'timestamp') {
    error(
      'eventTime.field',
      'config.event-time-field',
      `Event time field '${eventTime.field}' is a ${field.type}; it must be a timestamp.`,
    );
    return false;
  }
  return true;
}
