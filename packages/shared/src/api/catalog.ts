// The operator catalog on the wire: what `GET /api/catalog` lists of each kind,
// for the palette and the forms. Each kind declares itself in ../operators/.
import { type Static, type TSchema, Type } from 'typebox';
import { OPERATOR_CATEGORIES } from '../catalog/operator.js';

export const InputPortSchema = Type.Object({
  name: Type.String(),
  label: Type.String(),
  multiple: Type.Optional(
    Type.Boolean({ description: 'Accepts any number of edges (a union); otherwise exactly one' }),
  ),
});
export type InputPort = Static<typeof InputPortSchema>;

export const OutputPortSchema = Type.Object({
  name: Type.String(),
  label: Type.String(),
  optional: Type.Optional(
    Type.Boolean({ description: "Leaving it unconnected is normal (a window's late port)" }),
  ),
});
export type OutputPort = Static<typeof OutputPortSchema>;

/**
 * What a sink shows below the canvas while its job runs: the latest `rows` as
 * a table and a chart (a preview), or the `lines` it printed (a console).
 */
export const ShownResultsSchema = Type.Union([Type.Literal('rows'), Type.Literal('lines')], {
  description:
    'What the step shows below the canvas while its job runs: rows as a table and a chart, or printed lines',
});
export type ShownResults = Static<typeof ShownResultsSchema>;

/**
 * What a sink promises when its job takes checkpoints and is restored from
 * one: every record once, or at least once (what came after the last
 * checkpoint may be written again). Without checkpoints every sink is at
 * least once.
 */
export const DeliverySchema = Type.Union(
  [Type.Literal('exactly-once'), Type.Literal('at-least-once')],
  {
    description:
      'What the sink promises when its job takes checkpoints and resumes from one: each record written exactly once, or at least once (what came after the last checkpoint may be written again)',
  },
);
export type Delivery = Static<typeof DeliverySchema>;

export const CatalogEntrySchema = Type.Object({
  kind: Type.String(),
  label: Type.String(),
  category: Type.Enum(OPERATOR_CATEGORIES),
  description: Type.String(),
  icon: Type.String({ description: 'An icon name from the lucide set' }),
  inputs: Type.Array(InputPortSchema),
  outputs: Type.Array(OutputPortSchema),
  shows: Type.Optional(ShownResultsSchema),
  delivery: Type.Optional(DeliverySchema),
  // Typed as the schema it is: the web app renders the form from it.
  config: Type.Unsafe<TSchema>(
    Type.Record(Type.String(), Type.Unknown(), { description: "JSON Schema of the node's config" }),
  ),
  defaults: Type.Record(Type.String(), Type.Unknown(), {
    description: 'The config a node gets when dropped from the palette',
  }),
});
export type CatalogEntry = Static<typeof CatalogEntrySchema>;
