// Upgrades of the aggregating kinds' state into an edited list of
// aggregates (the catalog's aggregatesMigration decides when, and which old
// aggregate each new one takes): every saved set of accumulators, in every
// pane, session or key, is carried over on plain data, before the restore.
// An aggregate that is new starts empty there.
import { transformAggregate, windowAggregate, withDefaults } from '@sluice/shared';
import type { MigrateState } from '../operator.js';
import type { StoreSnapshot } from '../runtime/state.js';
import { carrySaved } from './window/accumulators.js';

type Carry = (saved: unknown) => unknown[];

/** window.aggregate: panes are flat [key, values, seq, accumulators, …]; sessions [values, [start, end, seq, accumulators][], …]. */
export const migrateWindowAggregate: MigrateState = (state, step, node) => {
  const config = withDefaults(windowAggregate, node.config);
  const carry = carrier(step, config.aggregates);
  return withMaps(state, {
    panes: (pane) => {
      const flat = [...(pane as unknown[])];
      for (let i = 3; i < flat.length; i += 4) flat[i] = carry(flat[i]);
      return flat;
    },
    sessions: (group) => {
      const [values, sessions, ...rest] = group as [unknown, [number, number, number, unknown][]];
      return [
        values,
        sessions.map(([start, end, seq, saved]) => [start, end, seq, carry(saved)]),
        ...rest,
      ];
    },
  });
};

/** transform.aggregate: groups are [values, accumulators, …]; contributions hold no accumulators. */
export const migrateTransformAggregate: MigrateState = (state, step, node) => {
  const config = withDefaults(transformAggregate, node.config);
  const carry = carrier(step, config.aggregates);
  return withMaps(state, {
    groups: (group) => {
      const [values, saved, ...rest] = group as unknown[];
      return [values, carry(saved), ...rest];
    },
  });
};

function carrier(
  step: Parameters<MigrateState>[1],
  aggregates: readonly { readonly fn: Parameters<typeof carrySaved>[2][number] }[],
): Carry {
  if (step.type !== 'aggregates') throw new Error(`there is no migration '${step.type}' here`);
  if (step.from.length !== aggregates.length) {
    throw new Error(
      `the plan carries ${step.from.length} aggregates, the step computes ${aggregates.length}`,
    );
  }
  const fns = aggregates.map((a) => a.fn);
  return (saved) => carrySaved(saved as unknown[], step.from, fns);
}

/** A copy of the snapshot with the values of the named maps (flat: key, value, …) replaced. */
function withMaps(
  state: StoreSnapshot,
  change: Readonly<Record<string, (value: unknown) => unknown>>,
): StoreSnapshot {
  const maps: Record<string, unknown[]> = { ...state.maps };
  for (const [name, update] of Object.entries(change)) {
    const flat = maps[name];
    if (flat === undefined) continue;
    maps[name] = flat.map((item, i) => (i % 2 === 1 ? update(item) : item));
  }
  return { maps, cells: state.cells };
}
