// What a window accumulates: one accumulator per aggregate, updated record
// by record (nothing buffers a whole window) and mergeable, so hopping
// windows merge the accumulators of their panes and sessions merge when a
// record bridges them. Count, sum and avg can also take a value back, for a
// running aggregate whose input records replace earlier ones.
import type { AggregateConfig, AggregateFunction, Field } from '@sluice/shared';
import type { Row } from '../../batch.js';
import type { CompiledExpression } from '../../expression/index.js';
import type { OperatorContext } from '../../operator.js';
import { compileChecked, reportBadValue } from '../compile.js';

export interface Accumulator {
  /** Takes one value; `time` orders first/last, `arrival` breaks their ties. */
  add(value: unknown, time: number, arrival: number): void;
  /** Folds in another accumulator of the same aggregate, leaving it as it was. */
  merge(other: Accumulator): void;
  /** Takes back a value `add` took (count, sum and avg only). */
  remove?(value: unknown): void;
  result(): unknown;
  /** What it holds, as plain data for a checkpoint (shared with it: serialize before it changes). */
  save(): unknown;
  /** Takes back what `save` gave, into a fresh accumulator. */
  load(saved: unknown): void;
}

class Count implements Accumulator {
  n = 0;
  add(value: unknown): void {
    if (value !== null) this.n++;
  }
  merge(other: Count): void {
    this.n += other.n;
  }
  remove(value: unknown): void {
    if (value !== null) this.n--;
  }
  result(): number {
    return this.n;
  }
  save(): number {
    return this.n;
  }
  load(saved: number): void {
    this.n = saved;
  }
}

class CountDistinct implements Accumulator {
  readonly seen = new Set<unknown>();
  add(value: unknown): void {
    if (value !== null) this.seen.add(value);
  }
  merge(other: CountDistinct): void {
    for (const value of other.seen) this.seen.add(value);
  }
  result(): number {
    return this.seen.size;
  }
  save(): Set<unknown> {
    return this.seen;
  }
  load(saved: Set<unknown>): void {
    for (const value of saved) this.seen.add(value);
  }
}

class Sum implements Accumulator {
  sum = 0;
  n = 0;
  add(value: unknown): void {
    if (value === null) return;
    this.sum += value as number;
    this.n++;
  }
  merge(other: Sum): void {
    this.sum += other.sum;
    this.n += other.n;
  }
  remove(value: unknown): void {
    if (value === null) return;
    this.n--;
    // Back to an exact 0 when empty, not the rounding left by adding and taking back doubles.
    this.sum = this.n === 0 ? 0 : this.sum - (value as number);
  }
  result(): number | null {
    return this.n === 0 ? null : this.sum;
  }
  save(): [number, number] {
    return [this.sum, this.n];
  }
  load([sum, n]: [number, number]): void {
    this.sum = sum;
    this.n = n;
  }
}

class Avg extends Sum {
  override result(): number | null {
    return this.n === 0 ? null : this.sum / this.n;
  }
}

/** Numbers, timestamps and text (by UTF-16 code unit, as JavaScript's `<` compares). */
class Min implements Accumulator {
  value: unknown = null;
  add(value: unknown): void {
    if (value !== null && (this.value === null || (value as number) < (this.value as number))) {
      this.value = value;
    }
  }
  merge(other: Min): void {
    this.add(other.value);
  }
  result(): unknown {
    return this.value;
  }
  save(): unknown {
    return this.value;
  }
  load(saved: unknown): void {
    this.value = saved;
  }
}

class Max implements Accumulator {
  value: unknown = null;
  add(value: unknown): void {
    if (value !== null && (this.value === null || (value as number) > (this.value as number))) {
      this.value = value;
    }
  }
  merge(other: Max): void {
    this.add(other.value);
  }
  result(): unknown {
    return this.value;
  }
  save(): unknown {
    return this.value;
  }
  load(saved: unknown): void {
    this.value = saved;
  }
}

/** The value of the earliest record; of equal times, the one that arrived first. */
class First implements Accumulator {
  value: unknown = null;
  time = Number.POSITIVE_INFINITY;
  arrival = Number.POSITIVE_INFINITY;
  add(value: unknown, time: number, arrival: number): void {
    if (time < this.time || (time === this.time && arrival < this.arrival)) {
      this.value = value;
      this.time = time;
      this.arrival = arrival;
    }
  }
  merge(other: First): void {
    this.add(other.value, other.time, other.arrival);
  }
  result(): unknown {
    return this.value;
  }
  save(): [unknown, number, number] {
    return [this.value, this.time, this.arrival];
  }
  load([value, time, arrival]: [unknown, number, number]): void {
    this.value = value;
    this.time = time;
    this.arrival = arrival;
  }
}

/** The value of the latest record; of equal times, the one that arrived last. */
class Last implements Accumulator {
  value: unknown = null;
  time = Number.NEGATIVE_INFINITY;
  arrival = Number.NEGATIVE_INFINITY;
  add(value: unknown, time: number, arrival: number): void {
    if (time > this.time || (time === this.time && arrival > this.arrival)) {
      this.value = value;
      this.time = time;
      this.arrival = arrival;
    }
  }
  merge(other: Last): void {
    this.add(other.value, other.time, other.arrival);
  }
  result(): unknown {
    return this.value;
  }
  save(): [unknown, number, number] {
    return [this.value, this.time, this.arrival];
  }
  load([value, time, arrival]: [unknown, number, number]): void {
    this.value = value;
    this.time = time;
    this.arrival = arrival;
  }
}

const ACCUMULATORS: Record<AggregateFunction, new () => Accumulator> = {
  count: Count,
  count_distinct: CountDistinct,
  sum: Sum,
  avg: Avg,
  min: Min,
  max: Max,
  first: First,
  last: Last,
};

/**
 * The aggregates of one operator: their compiled values and filters, and
 * the accumulators they fill. `read` evaluates everything a record needs
 * before `add` touches any state, so a record whose expression fails
 * contributes to nothing.
 */
export class Aggregates {
  readonly size: number;
  /** Per aggregate, the value `read` found in the last record (NULL when filtered out). */
  readonly #values: unknown[];
  /** Per aggregate, whether the last record passed its filter. */
  readonly #included: boolean[];
  readonly #exprs: (CompiledExpression | undefined)[];
  readonly #filters: (CompiledExpression | undefined)[];
  readonly #kinds: (new () => Accumulator)[];

  constructor(configs: readonly AggregateConfig[], fields: readonly Field[]) {
    this.size = configs.length;
    this.#exprs = configs.map((a) =>
      a.expr === undefined ? undefined : compileChecked(a.expr, fields),
    );
    this.#filters = configs.map((a) =>
      a.where === undefined ? undefined : compileChecked(a.where, fields, 'boolean'),
    );
    this.#kinds = configs.map((a) => ACCUMULATORS[a.fn]);
    this.#values = configs.map(() => null);
    this.#included = configs.map(() => true);
  }

  /**
   * Evaluates each aggregate's filter, then its value if the record passes
   * (as SQL's FILTER, a value is not computed for records filtered out).
   * Throws ExpressionError.
   */
  read(row: Row): void {
    for (let a = 0; a < this.size; a++) {
      const filter = this.#filters[a];
      // NULL counts as false.
      const included = filter === undefined || filter(row) === true;
      this.#included[a] = included;
      if (!included) continue;
      const expr = this.#exprs[a];
      // count without a value counts records: any non-NULL stands in.
      this.#values[a] = expr === undefined ? true : expr(row);
    }
  }

  /**
   * `read`, for the operators: false when a value of the record is bad, after
   * sending the record to the error output with the reason.
   */
  readOrReport(row: Row, context: Pick<OperatorContext, 'error'>): boolean {
    try {
      this.read(row);
      return true;
    } catch (error) {
      reportBadValue(error, row, context);
      return false;
    }
  }

  /** Adds the record last `read` to the accumulators. */
  add(accumulators: readonly Accumulator[], time: number, arrival: number): void {
    for (let a = 0; a < this.size; a++) {
      if (this.#included[a]) accumulators[a]!.add(this.#values[a], time, arrival);
    }
  }

  /**
   * What the record last `read` adds, per aggregate, to take back later with
   * `remove`. For count, sum and avg a NULL adds nothing, so a record that an
   * aggregate's filter left out is remembered as NULL there. Written into
   * `into` when given, so a replaced record's array is reused.
   */
  contribution(into: unknown[] = []): unknown[] {
    for (let a = 0; a < this.size; a++) into[a] = this.#included[a] ? this.#values[a] : null;
    return into;
  }

  /** Takes a `contribution` back out of the accumulators; only count, sum and avg can. */
  remove(accumulators: readonly Accumulator[], contribution: readonly unknown[]): void {
    for (let a = 0; a < this.size; a++) {
      const accumulator = accumulators[a]!;
      if (accumulator.remove === undefined) {
        throw new Error('only count, sum and avg can take a value back');
      }
      accumulator.remove(contribution[a]);
    }
  }

  create(): Accumulator[] {
    const accumulators: Accumulator[] = [];
    for (let a = 0; a < this.size; a++) accumulators.push(new this.#kinds[a]!());
    return accumulators;
  }

  /** The accumulators' content, as plain data for a checkpoint. */
  save(accumulators: readonly Accumulator[]): unknown[] {
    return accumulators.map((a) => a.save());
  }

  /** Fresh accumulators holding what `save` gave. */
  load(saved: readonly unknown[]): Accumulator[] {
    const accumulators = this.create();
    for (let a = 0; a < this.size; a++) accumulators[a]!.load(saved[a]);
    return accumulators;
  }

  /** Folds `from` into `into`; `from` is left unchanged. */
  merge(into: readonly Accumulator[], from: readonly Accumulator[]): void {
    for (let a = 0; a < this.size; a++) into[a]!.merge(from[a]!);
  }
}

/**
 * Saved accumulators (as `Aggregates.save` gave them) carried into an edited
 * list of aggregates: `from[i]` is the old index the new aggregate i takes,
 * or null for one that starts empty; `fns` are the new list's functions.
 */
export function carrySaved(
  saved: readonly unknown[],
  from: readonly (number | null)[],
  fns: readonly AggregateFunction[],
): unknown[] {
  return from.map((j, i) => {
    if (j !== null) {
      if (j >= saved.length) throw new Error(`the saved accumulators have no aggregate ${j}`);
      return saved[j];
    }
    return new ACCUMULATORS[fns[i]!]().save();
  });
}
