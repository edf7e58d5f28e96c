// An upgrade plan on the wire: what deploying an edited version of a running
// (or savepointed) job does to each node's state. planUpgrade (../format/upgrade.ts)
// builds it; the server sends it; the web app draws it on the canvas.
import { type Static, Type } from 'typebox';

export const StateStepSchema = Type.Object(
  {
    type: Type.Literal('aggregates'),
    from: Type.Array(Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]), {
      description:
        'Per aggregate of the new version, the index of the old one whose accumulators it takes; null: it starts empty',
    }),
  },
  { description: 'What the engine does to carry a node’s state into its new config' },
);

export const NodePlanStatusSchema = Type.Union(
  [
    Type.Literal('kept'),
    Type.Literal('migrated'),
    Type.Literal('dropped'),
    Type.Literal('new'),
    Type.Literal('removed'),
    Type.Literal('stateless'),
  ],
  {
    description:
      'kept: the state carries over as it is; migrated: it carries over, changed as said; dropped: the node starts empty; new and removed: only in the new or the old version; stateless: nothing to keep',
  },
);

export const NodePlanSchema = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  name: Type.String({ description: 'How the canvas names the node' }),
  status: NodePlanStatusSchema,
  says: Type.String({ description: 'What happens to its state and why, in a user’s words' }),
  field: Type.Optional(
    Type.String({
      description:
        'For a dropped node: the config field (window.size), kind or input that forces it',
    }),
  ),
  steps: Type.Optional(Type.Array(StateStepSchema)),
  position: Type.Optional(
    Type.Union([Type.Literal('kept'), Type.Literal('reset')], {
      description: 'For a source: whether it reads on from where it was, or from its start',
    }),
  ),
});

export const UpgradePlanSchema = Type.Object({
  nodes: Type.Array(NodePlanSchema, {
    description: 'In the new version’s order, removed ones last',
  }),
  dropsState: Type.Boolean({ description: 'Whether some node’s state would be dropped' }),
  notes: Type.Array(Type.String()),
  summary: Type.String(),
});

export type StateStep = Static<typeof StateStepSchema>;
export type NodePlanStatus = Static<typeof NodePlanStatusSchema>;
export type NodePlan = Static<typeof NodePlanSchema>;
export type UpgradePlan = Static<typeof UpgradePlanSchema>;
