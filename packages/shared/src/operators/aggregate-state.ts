// How a list of aggregates carries its accumulators into an edited list: an
// aggregate that is still there (same function, value and filter) keeps its
// accumulators, under a new name if it was renamed; a new one starts empty.
// Shared by the window aggregate and the running aggregate.
import type { MigrationVerdict, StateMigration, StateStep } from '../catalog/state.js';

interface Aggregate {
  readonly name: string;
  readonly fn: string;
  readonly expr?: string | undefined;
  readonly where?: string | undefined;
}

const sameMeasure = (a: Aggregate, b: Aggregate) =>
  a.fn === b.fn && (a.expr ?? null) === (b.expr ?? null) && (a.where ?? null) === (b.where ?? null);

/** Per aggregate of `after`, the index in `before` whose accumulators it takes, or null. */
export function matchAggregates(
  before: readonly Aggregate[],
  after: readonly Aggregate[],
): (number | null)[] {
  const used = new Set<number>();
  const take = (test: (old: Aggregate) => boolean): number | null => {
    const index = before.findIndex((old, j) => !used.has(j) && test(old));
    if (index < 0) return null;
    used.add(index);
    return index;
  };
  const from: (number | null)[] = after.map((agg) =>
    take((old) => old.name === agg.name && sameMeasure(old, agg)),
  );
  // Then renamed ones: the same measure under another name.
  after.forEach((agg, i) => {
    if (from[i] === null) from[i] = take((old) => sameMeasure(old, agg));
  });
  return from;
}

/**
 * The migration of an `aggregates` field. `empty` says where a new aggregate
 * starts from nothing ("in the windows open now"). `carries(config)` says
 * whether anything but a rename can be carried (a running aggregate that
 * takes back replaced records cannot: it would take back what a new
 * aggregate never added).
 */
export function aggregatesMigration<C extends { readonly aggregates: readonly Aggregate[] }>(
  empty: string,
  carries: (config: C) => boolean = () => true,
  /** When `carries` can say no, what the docs say of it. */
  unless?: string,
): StateMigration<C> {
  return {
    rule: `aggregates added, removed, renamed or reordered: migrated, each kept one goes on, a new one starts empty ${empty}${unless ? `; ${unless}` : ''}`,
    migrate(before, after): MigrationVerdict {
      const old = before.aggregates;
      const now = after.aggregates;
      const from = matchAggregates(old, now);
      const said: string[] = [];
      const added = now.filter((_, i) => from[i] === null).map((a) => a.name);
      const renamed = now.flatMap((a, i) => {
        const j = from[i];
        return j !== null && j !== undefined && old[j]!.name !== a.name
          ? [`'${old[j]!.name}' is now called '${a.name}'`]
          : [];
      });
      const removed = old.filter((_, j) => !from.includes(j)).map((a) => a.name);
      const identity = from.every((j, i) => j === i) && old.length === now.length;
      if (!identity && !carries(after)) {
        return {
          drop: 'aggregates were added, removed or reordered while records replace earlier ones (Input updates keyed by): what each record added cannot be taken back from the new ones',
        };
      }
      if (added.length > 0)
        said.push(`${quoteList(added)} ${added.length === 1 ? 'starts' : 'start'} empty ${empty}`);
      said.push(...renamed);
      if (removed.length > 0)
        said.push(
          `${quoteList(removed)} ${removed.length === 1 ? 'is' : 'are'} no longer computed`,
        );
      if (said.length === 0) said.push('the aggregates are in a new order');
      const step: StateStep = { type: 'aggregates', from };
      return { says: said.join('; '), ...(identity ? {} : { step }) };
    },
  };
}

function quoteList(names: readonly string[]): string {
  return names.map((n) => `'${n}'`).join(', ');
}
