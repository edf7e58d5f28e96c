import type { Static, TSchema } from 'typebox';
import type { Delivery, InputPort, OutputPort, ShownResults } from '../api/catalog.js';
import type { CheckedExpression } from '../expression/index.js';
import type { Field, FieldType, StreamSchema } from '../schema/field.js';
import type { Configured } from './configured.js';
import type { ParallelDeclaration } from './parallel.js';
import type { StateDeclaration } from './state.js';

export const OPERATOR_CATEGORIES = ['source', 'transform', 'window', 'join', 'sink'] as const;
export type OperatorCategory = (typeof OPERATOR_CATEGORIES)[number];

// Ports, and what a sink shows below the canvas, are declared once, as the
// catalog sends them (../api/catalog.ts).
export type { Delivery, InputPort, OutputPort, ShownResults } from '../api/catalog.js';

/**
 * What an operator's output-schema inference is handed. Paths are relative
 * to the node's `config` (`where`, `aggregates[1].expr`).
 */
export interface InferContext<C> {
  readonly config: C;
  /** The schemas arriving on each input port, one per incoming edge. */
  readonly inputs: Readonly<Record<string, readonly StreamSchema[]>>;
  /** Type-checks an expression against `fields`, reporting its problems at `path`. */
  expression(
    path: string,
    text: string,
    fields: readonly Field[],
    expected?: FieldType,
  ): CheckedExpression;
  error(path: string | undefined, code: string, message: string): void;
  warning(path: string | undefined, code: string, message: string): void;
}

/** Output schemas by output port name; undefined when they cannot be known. */
export type InferredOutputs = Readonly<Record<string, StreamSchema>> | undefined;

/**
 * The declaration of one operator kind: everything but its runtime. The web
 * palette and forms, the server's validation and the engine all read it.
 */
export interface OperatorDefinition<C extends TSchema = TSchema> {
  readonly kind: string;
  readonly label: string;
  readonly category: OperatorCategory;
  readonly description: string;
  /** An icon name from the lucide set, for the palette. */
  readonly icon: string;
  readonly inputs: readonly InputPort[];
  readonly outputs: readonly OutputPort[];
  /** What the live view shows of this step's results; absent when it shows none. */
  readonly shows?: ShownResults;
  /** What a sink promises across a restore from a checkpoint; every sink says. */
  readonly delivery?: Delivery;
  /** JSON Schema of the node's `config`. */
  readonly config: C;
  /** The config a node gets when dropped from the palette. */
  readonly defaults: Static<C>;
  /** What the node keeps across a restore, and which config fields shape it (see state.ts). */
  readonly state: StateDeclaration<Configured<C>>;
  /** How it runs when its job runs as several instances (see parallel.ts). */
  readonly parallel: ParallelDeclaration<Configured<C>>;
  /** Checks a config that has passed its schema, with its defaults filled in (`withDefaults`). */
  infer(context: InferContext<Configured<C>>): InferredOutputs;
}

/** Declares an operator kind with its config type inferred from the schema. */
export function defineOperator<C extends TSchema>(
  definition: OperatorDefinition<C>,
): OperatorDefinition<C> {
  return definition;
}

export const OUT: OutputPort = { name: 'out', label: 'out' };
export const IN: InputPort = { name: 'in', label: 'in' };
