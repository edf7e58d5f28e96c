// The runtime of every operator kind, by kind: the engine's one list. A test
// checks that it covers the catalog of @sluice/shared exactly.
import type { RuntimeFactory } from '../operator.js';
import { createJoinInterval } from './join-interval.js';
import { createJoinRegular } from './join-regular.js';
import { createJoinWindow } from './join-window.js';
import { createFileSink } from './sink-file.js';
import { createKafkaSink } from './sink-kafka.js';
import { createBlackhole, createConsole, createPreview } from './sinks.js';
import { createDatagen } from './source-datagen.js';
import { createFileSource } from './source-file.js';
import { createKafkaSource } from './source-kafka.js';
import { createNexmarkSource } from './source-nexmark.js';
import { createTransformAggregate } from './transform-aggregate.js';
import { createFilter } from './transform-filter.js';
import { createMap } from './transform-map.js';
import { createTransformTopN } from './transform-topn.js';
import { createUnion } from './transform-union.js';
import { createWindowAggregate } from './window-aggregate.js';

export const RUNTIMES: Readonly<Record<string, RuntimeFactory>> = {
  'source.datagen': { type: 'source', create: createDatagen },
  'source.file': { type: 'source', create: createFileSource },
  'source.kafka': { type: 'source', create: createKafkaSource },
  'source.nexmark': { type: 'source', create: createNexmarkSource },
  'transform.filter': { type: 'operator', create: createFilter },
  'transform.map': { type: 'operator', create: createMap },
  'transform.union': { type: 'operator', create: createUnion },
  'transform.aggregate': { type: 'operator', create: createTransformAggregate },
  'transform.topn': { type: 'operator', create: createTransformTopN },
  'window.aggregate': { type: 'operator', create: createWindowAggregate },
  'join.window': { type: 'operator', create: createJoinWindow },
  'join.interval': { type: 'operator', create: createJoinInterval },
  'join.regular': { type: 'operator', create: createJoinRegular },
  'sink.file': { type: 'operator', create: createFileSink },
  'sink.kafka': { type: 'operator', create: createKafkaSink },
  'sink.console': { type: 'operator', create: createConsole },
  'sink.preview': { type: 'operator', create: createPreview },
  'sink.blackhole': { type: 'operator', create: createBlackhole },
};

export function runtimeFor(kind: string): RuntimeFactory {
  const runtime = Object.hasOwn(RUNTIMES, kind) ? RUNTIMES[kind] : undefined;
  if (!runtime) throw new Error(`The engine has no runtime for the operator kind '${kind}'.`);
  return runtime;
}
