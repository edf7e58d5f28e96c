// What an operator kind keeps across a restore, and which of its config
// fields shape it: the upgrade planner (../format/upgrade.ts) reads this to
// tell an edit that keeps a node's state from one that must drop it. Every
// config field of every kind is classified (the type requires it, a test
// walks the catalog), so a new field cannot slip through as "harmless".

import type { StateStep } from '../api/upgrade.js';
import { parseDuration } from '../schema/duration.js';

export type { StateStep } from '../api/upgrade.js';

/** What a migration decided for one changed field. */
export type MigrationVerdict =
  /** The state carries over; `says` tells the user what that means, `step` is what the engine does (none: as it is). */
  | { readonly says: string; readonly step?: StateStep }
  /** The state cannot be carried over; `says` tells why. */
  | { readonly drop: string };

/** A config field whose change may or may not carry the state over, depending on the change. */
export interface StateMigration<C> {
  /** The rule in a user's words, for the docs: "longer: carried over; shorter: dropped". */
  readonly rule: string;
  /** Called when the field changed between `before` and `after` (configs with defaults filled in). */
  migrate(before: C, after: C): MigrationVerdict;
}

/**
 * The part one config field plays in the node's state:
 * - `shapes`: the state was built for its value; any change drops it.
 * - `free`: it does not touch the state (a filter's condition, a sink's format).
 * - a migration: it decides, change by change.
 */
export type StateRole<C> = 'shapes' | 'free' | StateMigration<C>;

export interface StateDeclaration<C> {
  /**
   * What the node keeps across a restore, in a user's words ("its open windows
   * and their aggregates"; for a source, its position in the input); null
   * when it keeps nothing worth naming (a filter).
   */
  readonly holds: string | null;
  /** Every top-level config field, and the part it plays. */
  readonly fields: { readonly [K in keyof C]-?: StateRole<C> };
  /**
   * Whether the state holds input records as they came (a join's or a Top N's
   * kept rows): then records of other fields (an edit upstream) drop it too.
   */
  readonly keepsInputRecords?: boolean;
}

/** A kind that keeps nothing: every field is free. */
export function stateless<C>(fields: { readonly [K in keyof C]-?: 'free' }): StateDeclaration<C> {
  return { holds: null, fields };
}

/**
 * A retention (keep records or keys this long) whose index is rebuilt from
 * the state only partly: a longer one (or none, keep forever) carries over, a
 * shorter one would forget keys later than it says, so it drops the state.
 */
export function longerRetention<C>(field: string, what: string): StateMigration<C> {
  return {
    rule: 'longer (or none): migrated, what was forgotten stays forgotten; shorter: dropped',
    migrate(old, now) {
      const before = old as Record<string, unknown>;
      const after = now as Record<string, unknown>;
      const was = durationOf(before[field]);
      const is = durationOf(after[field]);
      if (is >= was) {
        return {
          says: `${what} are kept longer (${describe(after[field])} instead of ${describe(before[field])}); the ones already forgotten stay forgotten`,
        };
      }
      return {
        drop: `the retention is shorter (${describe(after[field])} instead of ${describe(before[field])}): what is kept was scheduled for the longer one`,
      };
    },
  };
}

/** A duration field as ms; a missing one (keep forever) as +Infinity. */
function durationOf(value: unknown): number {
  if (typeof value !== 'string') return Number.POSITIVE_INFINITY;
  return parseDuration(value) ?? Number.POSITIVE_INFINITY;
}

function describe(value: unknown): string {
  return typeof value === 'string' ? value : 'no limit';
}
