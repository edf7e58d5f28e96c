// What "Use this schema" does to a source's settings: the inferred format and
// fields replace the old ones, and event time follows the suggested field.
// Only the settings sources share (`format`, `schema`, `csv`, `eventTime`)
// are touched, so any source with a sampled topic can use it.
import type { InferredSchema } from '@sluice/shared';

type Config = Record<string, unknown>;

/** Out-of-orderness given to event time when the source had none. */
const DEFAULT_OUT_OF_ORDERNESS = '5s';

export function applyInferredSchema(config: Config, inferred: InferredSchema): Config {
  const next: Config = { ...config, format: inferred.format, schema: inferred.fields };
  if (inferred.format === 'csv' && inferred.delimiter && inferred.delimiter !== ',') {
    next.csv = { ...(config.csv as Config | undefined), delimiter: inferred.delimiter };
  } else {
    delete next.csv;
  }
  const eventTime = config.eventTime as Config | undefined;
  if (inferred.eventTimeField) {
    next.eventTime = {
      maxOutOfOrderness: DEFAULT_OUT_OF_ORDERNESS,
      ...eventTime,
      field: inferred.eventTimeField,
    };
  } else if (eventTime && !inferred.fields.some((f) => f.name === eventTime.field)) {
    // Event time on a field the new schema lacks would only be an error to fix.
    delete next.eventTime;
  }
  return next;
}
