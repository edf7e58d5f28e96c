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

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);

/** Slots a table starts with (a table of its own, as a session's or a running group's). */
const FIRST_SLOTS = 8;

/** At most this many aggregates share one table (the bits of a small integer). */
const MAX_SHARED = 30;
/** A slot's owner and bits, packed in one double: owner · 2^30 + bits (exact below 2^53). */
const OWNER = 2 ** MAX_SHARED;
const BITS = OWNER - 1;
/** Owners one table takes (2^23: the packing's room); a pool starts another table past it. */
const MAX_OWNERS = 2 ** (53 - MAX_SHARED);

/**
 * The distinct values of one expression, for many owners (each key of a
 * window pane, or one accumulator on its own), shared by the count_distinct
 * aggregates over that expression that differ in their filters (q16 counts
 * bidders in all and in three price bands): per owner and value, the set of
 * those aggregates (as bits) that took it, so a record costs one lookup for
 * all. Numbers, the usual values, live in one open-addressing table of
 * typed arrays for all the owners, a slot being the value beside its owner
 * and bits: a record's lookup touches one cache line, where objects per key
 * would chase several, there is nothing for the garbage collector to trace,
 * and a pane's thousands of small keys share one table instead of growing
 * thousands. Other values are kept in a Map per owner. Values are equal as a
 * Set finds them (SameValueZero).
 */
export class DistinctTable {
  /** Per slot, its value at 2i and its owner and bits, packed, at 2i + 1; 0: an empty slot. */
  #slots: Float64Array;
  /** Per slot, the next slot of its owner, plus 1 (0: none): each owner's values as a chain. */
  #next: Int32Array;
  #used = 0;
  /** Per owner, its first slot plus 1. */
  #heads = new Int32Array(1);
  /** Per owner and member (owner · members + bit), the values whose bit is set. */
  #counts: Float64Array;
  #owners = 0;
  /** Values other than numbers, per owner, made on the first. */
  #others: Map<number, Map<unknown, number>> | undefined;

  constructor(
    readonly members: number,
    slots = FIRST_SLOTS,
  ) {
    this.#slots = new Float64Array(slots * 2);
    this.#next = new Int32Array(slots);
    this.#counts = new Float64Array(members);
  }

  get full(): boolean {
    return this.#owners === MAX_OWNERS;
  }

  /** A new owner, with no values. */
  owner(): number {
    const owner = this.#owners++;
    if (owner === this.#heads.length) {
      const heads = new Int32Array(owner * 2);
      heads.set(this.#heads);
      this.#heads = heads;
      const counts = new Float64Array(owner * 2 * this.members);
      counts.set(this.#counts);
      this.#counts = counts;
    }
    return owner;
  }

  count(owner: number, bit: number): number {
    return this.#counts[owner * this.members + bit]!;
  }

  /** `value` (not NULL) taken by `owner`'s members in `mask`. */
  add(owner: number, value: unknown, mask: number): void {
    if (typeof value === 'number' && !Number.isNaN(value)) {
      this.#addNumber(owner, value === 0 ? 0 : value, mask); // -0 is 0, as in a Set
      return;
    }
    this.#others ??= new Map();
    let mine = this.#others.get(owner);
    if (mine === undefined) {
      mine = new Map();
      this.#others.set(owner, mine);
    }
    const had = mine.get(value) ?? 0;
    const fresh = mask & ~had;
    if (fresh === 0) return;
    mine.set(value, had | fresh);
    this.#count(owner, fresh);
  }

  #addNumber(owner: number, v: number, mask: number): void {
    const slots = this.#slots;
    const last = (slots.length >>> 1) - 1;
    const base = owner * OWNER;
    for (let i = slotOf(v, owner) & last; ; i = (i + 1) & last) {
      const packed = slots[2 * i + 1]!;
      if (packed === 0) {
        slots[2 * i] = v;
        slots[2 * i + 1] = base + mask;
        this.#next[i] = this.#heads[owner]!;
        this.#heads[owner] = i + 1;
        this.#count(owner, mask);
        if (++this.#used * 4 > slots.length) this.#grow(); // over half the slots taken
        return;
      }
      if (slots[2 * i] === v) {
        const had = packed & BITS; // ToInt32 keeps the low bits: the member bits
        if (packed - had !== base) continue; // another owner's
        const fresh = mask & ~had;
        if (fresh === 0) return;
        slots[2 * i + 1] = packed + fresh;
        this.#count(owner, fresh);
        return;
      }
    }
  }

  #grow(): void {
    const old = this.#slots;
    const slots = new Float64Array(old.length * 2);
    const next = new Int32Array(old.length);
    const heads = this.#heads.fill(0);
    const last = (slots.length >>> 1) - 1;
    for (let j = 0; j < old.length; j += 2) {
      const packed = old[j + 1]!;
      if (packed === 0) continue;
      const owner = Math.floor(packed / OWNER);
      let i = slotOf(old[j]!, owner) & last;
      while (slots[2 * i + 1] !== 0) i = (i + 1) & last;
      slots[2 * i] = old[j]!;
      slots[2 * i + 1] = packed;
      next[i] = heads[owner]!;
      heads[owner] = i + 1;
    }
    this.#slots = slots;
    this.#next = next;
  }

  #count(owner: number, fresh: number): void {
    const at = owner * this.members;
    for (let bit = 0; fresh !== 0; bit++, fresh >>>= 1) if (fresh & 1) this.#counts[at + bit]!++;
  }

  /** Calls `f` with each value `owner`'s members in `mask` took. */
  forEach(owner: number, mask: number, f: (value: unknown) => void): void {
    const slots = this.#slots;
    for (let i = this.#heads[owner]! - 1; i >= 0; i = this.#next[i]! - 1) {
      if (slots[2 * i + 1]! & BITS & mask) f(slots[2 * i]);
    }
    for (const [value, had] of this.#others?.get(owner) ?? []) if (had & mask) f(value);
  }
}

/** A number's first slot for an owner: its bits, mixed (Murmur3's finalizer), and the owner's. */
function slotOf(v: number, owner: number): number {
  let h: number;
  if ((v | 0) === v) {
    h = Math.imul(v, 0x9e3779b1); // small integers, the usual ids, without the double's bits
  } else {
    F64[0] = v;
    h = U32[0]! ^ Math.imul(U32[1]!, 0x9e3779b1);
  }
  h ^= Math.imul(owner, 0x27d4eb2f);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** A count_distinct: one owner's member of a DistinctTable; saved as a Set of its values. */
class SharedDistinct implements Accumulator {
  readonly mask: number;

  constructor(
    readonly table: DistinctTable,
    readonly owner: number,
    readonly bit: number,
  ) {
    this.mask = 1 << bit;
  }

  add(value: unknown): void {
    if (value !== null) this.table.add(this.owner, value, this.mask);
  }

  merge(other: SharedDistinct): void {
    other.table.forEach(other.owner, other.mask, (value) =>
      this.table.add(this.owner, value, this.mask),
    );
  }

  result(): number {
    return this.table.count(this.owner, this.bit);
  }

  save(): Set<unknown> {
    const seen = new Set<unknown>();
    this.table.forEach(this.owner, this.mask, (value) => seen.add(value));
    return seen;
  }

  load(saved: Set<unknown>): void {
    for (const value of saved) this.table.add(this.owner, value, this.mask);
  }
}

/** A count_distinct of its own (as a fresh one, for an aggregate added by an edit). */
class CountDistinct extends SharedDistinct {
  constructor() {
    const table = new DistinctTable(1);
    super(table, table.owner(), 0);
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

/** Per group of count_distinct aggregates, the table its owners share. */
export type DistinctPool = DistinctTable[];

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
  /**
   * Per aggregate, an earlier one with the same value (or filter) text, whose
   * result for the record it reuses, or -1. Expressions are pure functions
   * of the record, so the answer is the same.
   */
  readonly #sameExpr: number[];
  readonly #sameFilter: number[];
  /** count_distinct aggregates over the same value, as members of one DistinctTable. */
  readonly #shared: number[][];
  /** Per aggregate, its place in #shared ([group, bit]) if it is a count_distinct. */
  readonly #memberOf: (readonly [number, number] | undefined)[];
  /** The counts (a call-free path for the commonest aggregate), then the rest outside #shared. */
  readonly #counts: number[] = [];
  readonly #singles: number[] = [];

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
    const earlier = (
      text: string | undefined,
      i: number,
      of: (a: AggregateConfig) => string | undefined,
    ) => (text === undefined ? -1 : configs.findIndex((b, j) => j < i && of(b) === text));
    this.#sameExpr = configs.map((a, i) => earlier(a.expr, i, (b) => b.expr));
    this.#sameFilter = configs.map((a, i) => earlier(a.where, i, (b) => b.where));
    const shared: number[][] = [];
    const byValue = new Map<string, number[]>();
    configs.forEach((a, i) => {
      if (a.fn !== 'count_distinct' || a.expr === undefined) return;
      const members = byValue.get(a.expr) ?? [];
      if (members.length === MAX_SHARED) {
        shared.push(members);
        byValue.set(a.expr, [i]);
      } else {
        byValue.set(a.expr, [...members, i]);
      }
    });
    shared.push(...byValue.values());
    this.#shared = shared;
    this.#memberOf = configs.map(() => undefined);
    shared.forEach((members, group) => {
      members.forEach((a, bit) => {
        this.#memberOf[a] = [group, bit];
      });
    });
    configs.forEach((a, i) => {
      if (this.#memberOf[i] === undefined)
        (a.fn === 'count' ? this.#counts : this.#singles).push(i);
    });
  }

  /**
   * Evaluates each aggregate's filter, then its value if the record passes
   * (as SQL's FILTER, a value is not computed for records filtered out).
   * Throws ExpressionError.
   */
  read(row: Row): void {
    const included = this.#included;
    const values = this.#values;
    for (let a = 0; a < this.size; a++) {
      const sameFilter = this.#sameFilter[a]!;
      const filter = this.#filters[a];
      // NULL counts as false.
      const takes =
        sameFilter >= 0 ? included[sameFilter]! : filter === undefined || filter(row) === true;
      included[a] = takes;
      if (!takes) continue;
      const sameExpr = this.#sameExpr[a]!;
      const expr = this.#exprs[a];
      // count without a value counts records: any non-NULL stands in.
      values[a] =
        expr === undefined
          ? true
          : sameExpr >= 0 && included[sameExpr]
            ? values[sameExpr]
            : expr(row);
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
    const included = this.#included;
    const values = this.#values;
    const counts = this.#counts;
    for (let c = 0; c < counts.length; c++) {
      const a = counts[c]!;
      if (included[a] && values[a] !== null) (accumulators[a] as Count).n++;
    }
    const singles = this.#singles;
    for (let s = 0; s < singles.length; s++) {
      const a = singles[s]!;
      if (included[a]) accumulators[a]!.add(values[a], time, arrival);
    }
    for (const members of this.#shared) {
      let mask = 0;
      let value: unknown = null;
      for (let m = 0; m < members.length; m++) {
        const a = members[m]!;
        if (this.#included[a] && this.#values[a] !== null) {
          mask |= 1 << m;
          value = this.#values[a];
        }
      }
      if (mask === 0) continue;
      const distinct = accumulators[members[0]!] as SharedDistinct;
      distinct.table.add(distinct.owner, value, mask);
    }
  }

  /**
   * Adds a record's `contribution` (as `contribution` gave it: per aggregate
   * its value, NULL where the record was filtered out) to the accumulators,
   * as `add` adds the record last `read`: an OVER frame aggregates the
   * records it keeps that way.
   */
  addContribution(
    accumulators: readonly Accumulator[],
    values: readonly unknown[],
    time: number,
    arrival: number,
  ): void {
    const counts = this.#counts;
    for (let c = 0; c < counts.length; c++) {
      const a = counts[c]!;
      if (values[a] !== null) (accumulators[a] as Count).n++;
    }
    const singles = this.#singles;
    for (let s = 0; s < singles.length; s++) {
      const a = singles[s]!;
      if (values[a] !== null) accumulators[a]!.add(values[a], time, arrival);
    }
    for (const members of this.#shared) {
      let mask = 0;
      let value: unknown = null;
      for (let m = 0; m < members.length; m++) {
        const v = values[members[m]!];
        if (v !== null) {
          mask |= 1 << m;
          value = v;
        }
      }
      if (mask === 0) continue;
      const distinct = accumulators[members[0]!] as SharedDistinct;
      distinct.table.add(distinct.owner, value, mask);
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

  /**
   * Tables for the count_distinct aggregates of many sets of accumulators
   * that live and die together (a pane's keys), to pass to `create` and `load`.
   */
  pool(): DistinctPool {
    return this.#shared.map((members) => new DistinctTable(members.length, 1024));
  }

  /** Fresh accumulators; their distinct values in `pool`'s tables, or in tables of their own. */
  create(pool?: DistinctPool): Accumulator[] {
    const tables = this.#shared.map((members, g) => {
      if (pool === undefined) return new DistinctTable(members.length);
      if (pool[g]!.full) pool[g] = new DistinctTable(members.length, 1024);
      return pool[g]!;
    });
    const owners = tables.map((table) => table.owner());
    const accumulators: Accumulator[] = [];
    for (let a = 0; a < this.size; a++) {
      const member = this.#memberOf[a];
      accumulators.push(
        member === undefined
          ? new this.#kinds[a]!()
          : new SharedDistinct(tables[member[0]]!, owners[member[0]]!, member[1]),
      );
    }
    return accumulators;
  }

  /** The accumulators' content, as plain data for a checkpoint. */
  save(accumulators: readonly Accumulator[]): unknown[] {
    return accumulators.map((a) => a.save());
  }

  /** Fresh accumulators holding what `save` gave (their distinct values in `pool`'s tables). */
  load(saved: readonly unknown[], pool?: DistinctPool): Accumulator[] {
    const accumulators = this.create(pool);
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
