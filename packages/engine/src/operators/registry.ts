// The runtime of every operator kind, each with the declaration it runs: the
// engine's one list. A test checks that it covers the catalog of
// @sluice/shared exactly.
import {
  joinInterval,
  joinRegular,
  joinWindow,
  sinkBlackhole,
  sinkConsole,
  sinkFile,
  sinkKafka,
  sinkPostgres,
  sinkPreview,
  sinkRabbitMQ,
  sourceDatagen,
  sourceFile,
  sourceKafka,
  sourceNexmark,
  sourceRabbitMQ,
  transformAggregate,
  transformDedupe,
  transformFilter,
  transformMap,
  transformPredict,
  transformTopN,
  transformUnion,
  windowAggregate,
  windowOver,
} from '@sluice/shared';
import { defineOperator, defineSource, type RuntimeFactory } from '../operator.js';
import { migrateTransformAggregate, migrateWindowAggregate } from './aggregate-migrations.js';
import { createJoinInterval } from './join-interval.js';
import { createJoinRegular } from './join-regular.js';
import { createJoinWindow } from './join-window.js';
import { createFileSink } from './sink-file.js';
import { createKafkaSink } from './sink-kafka.js';
import { createPostgresSink } from './sink-postgres.js';
import { createRabbitSink } from './sink-rabbitmq.js';
import { createBlackhole, createConsole, createPreview } from './sinks.js';
import { createDatagen } from './source-datagen.js';
import { createFileSource } from './source-file.js';
import { createKafkaSource } from './source-kafka.js';
import { createNexmarkSource } from './source-nexmark.js';
import { createRabbitSource } from './source-rabbitmq.js';
import { createTransformAggregate } from './transform-aggregate.js';
import { createTransformDedupe } from './transform-dedupe.js';
import { createFilter } from './transform-filter.js';
import { createMap } from './transform-map.js';
import { createPredict } from './transform-predict.js';
import { createTransformTopN } from './transform-topn.js';
import { createUnion } from './transform-union.js';
import { createWindowAggregate } from './window-aggregate.js';
import { createWindowOver } from './window-over.js';

export const RUNTIMES: readonly RuntimeFactory[] = [
  defineSource(sourceDatagen, createDatagen),
  defineSource(sourceFile, createFileSource),
  defineSource(sourceKafka, createKafkaSource),
  defineSource(sourceNexmark, createNexmarkSource),
  defineSource(sourceRabbitMQ, createRabbitSource),
  defineOperator(transformFilter, createFilter),
  defineOperator(transformMap, createMap),
  defineOperator(transformPredict, createPredict),
  defineOperator(transformUnion, createUnion),
  defineOperator(transformAggregate, createTransformAggregate, migrateTransformAggregate),
  defineOperator(transformTopN, createTransformTopN),
  defineOperator(transformDedupe, createTransformDedupe),
  defineOperator(windowAggregate, createWindowAggregate, migrateWindowAggregate),
  defineOperator(windowOver, createWindowOver),
  defineOperator(joinWindow, createJoinWindow),
  defineOperator(joinInterval, createJoinInterval),
  defineOperator(joinRegular, createJoinRegular),
  defineOperator(sinkFile, createFileSink),
  defineOperator(sinkKafka, createKafkaSink),
  defineOperator(sinkPostgres, createPostgresSink),
  defineOperator(sinkRabbitMQ, createRabbitSink),
  defineOperator(sinkConsole, createConsole),
  defineOperator(sinkPreview, createPreview),
  defineOperator(sinkBlackhole, createBlackhole),
];

const byKind = new Map(RUNTIMES.map((runtime) => [runtime.declaration.kind, runtime]));

export function runtimeFor(kind: string): RuntimeFactory {
  const runtime = byKind.get(kind);
  if (!runtime) throw new Error(`The engine has no runtime for the operator kind '${kind}'.`);
  return runtime;
}
