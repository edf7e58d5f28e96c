// The explicit list of operator kinds. Adding a kind means adding its
// declaration file and one line here; nothing else switches on kinds.

import type { CatalogEntry } from '../api/catalog.js';
import { joinInterval } from '../operators/join-interval.js';
import { joinRegular } from '../operators/join-regular.js';
import { joinWindow } from '../operators/join-window.js';
import { sinkFile } from '../operators/sink-file.js';
import { sinkKafka } from '../operators/sink-kafka.js';
import { sinkPostgres } from '../operators/sink-postgres.js';
import { sinkRabbitMQ } from '../operators/sink-rabbitmq.js';
import { sinkBlackhole, sinkConsole, sinkPreview } from '../operators/sinks.js';
import { sourceDatagen } from '../operators/source-datagen.js';
import { sourceFile } from '../operators/source-file.js';
import { sourceKafka } from '../operators/source-kafka.js';
import { sourceNexmark } from '../operators/source-nexmark.js';
import { sourceRabbitMQ } from '../operators/source-rabbitmq.js';
import { transformAggregate } from '../operators/transform-aggregate.js';
import { transformDedupe } from '../operators/transform-dedupe.js';
import { transformFilter } from '../operators/transform-filter.js';
import { transformMap } from '../operators/transform-map.js';
import { transformPredict } from '../operators/transform-predict.js';
import { transformTopN } from '../operators/transform-topn.js';
import { transformUnion } from '../operators/transform-union.js';
import { windowAggregate } from '../operators/window-aggregate.js';
import { windowOver } from '../operators/window-over.js';
import type { OperatorDefinition } from './operator.js';

export const OPERATORS: readonly OperatorDefinition[] = [
  sourceDatagen,
  sourceFile,
  sourceKafka,
  sourceNexmark,
  sourceRabbitMQ,
  transformFilter,
  transformMap,
  transformPredict,
  transformUnion,
  transformAggregate,
  transformTopN,
  transformDedupe,
  windowAggregate,
  windowOver,
  joinWindow,
  joinInterval,
  joinRegular,
  sinkFile,
  sinkKafka,
  sinkPostgres,
  sinkRabbitMQ,
  sinkConsole,
  sinkPreview,
  sinkBlackhole,
];

const byKind = new Map(OPERATORS.map((op) => [op.kind, op]));

export function getOperator(kind: string): OperatorDefinition | undefined {
  return byKind.get(kind);
}

/** The catalog as JSON: what `GET /api/catalog` serves and the docs list. */
export function describeCatalog(): CatalogEntry[] {
  return OPERATORS.map((op) => ({
    kind: op.kind,
    label: op.label,
    category: op.category,
    description: op.description,
    icon: op.icon,
    inputs: [...op.inputs],
    outputs: [...op.outputs],
    ...(op.shows && { shows: op.shows }),
    ...(op.delivery && { delivery: op.delivery }),
    config: op.config,
    defaults: op.defaults as Record<string, unknown>,
  }));
}
