// transform.aggregate: a running aggregate without windows. Each key
// aggregates all its records so far; after each input batch, every key the
// batch changed emits its new result. The output is an update stream: a row
// replaces the earlier row with the same key. With `updateKey` the input is
// such a stream too, and a record first takes back the contribution of the
// record it replaces (only count, sum and avg can).
//
// Sluice streams are append-only, so a key whose last record moved away
// (its count of records fell to 0) is dropped and emits nothing: there is no
// retraction row to send. Its last row stays the latest one downstream.
import type { transformAggregate } from '@sluice/shared';
import type { Batch, Row } from '../batch.js';
import type { EnvironmentOf, Operator, OperatorContext } from '../operator.js';
import type { Codec } from '../runtime/state.js';
import { validDuration } from './compile.js';
import { ExpiryQueue } from './join/expiry-queue.js';
import { type Accumulator, Aggregates } from './window/accumulators.js';
import { groupKey } from './window/keys.js';

/** One key's running aggregate. */
interface Group {
  /** The group-by values, in group-by order. */
  readonly values: readonly unknown[];
  readonly accumulators: Accumulator[];
  /** Tells this life of the key from a later one, after it was dropped and came back. */
  readonly generation: number;
  /** Records that count in it now (replaced ones no longer do). */
  records: number;
  /** The greatest event time of a record that changed it. */
  lastUpdate: number;
  /** Its entry in the expiry queue; +Infinity when none. */
  scheduled: number;
  /** The input batch that last changed it, and the greatest event time of its records there. */
  changedIn: number;
  batchTime: number;
}

/** With `updateKey`: what the last record of one update key added, to take it back. */
interface Contribution {
  group: unknown;
  generation: number;
  readonly values: unknown[];
  /** The greatest event time of a record with this update key. */
  time: number;
  scheduled: number;
}

export function createTransformAggregate(env: EnvironmentOf<typeof transformAggregate>): Operator {
  const { config } = env;
  const input = env.inputs[0]![0]!;
  const output = env.outputs[0];
  if (!output)
    throw new Error('transform.aggregate has no output schema; was the pipeline validated?');
  const { groupBy } = config;
  const eventTime = input.time === 'event';
  const retention =
    eventTime && config.retention !== undefined ? validDuration(config.retention) : undefined;

  const aggregates = new Aggregates(config.aggregates, input.fields);
  const key = groupKey(groupBy);
  const groups = env.state.map<unknown, Group>('groups', groupCodec(aggregates));
  const groupExpiry = new ExpiryQueue<unknown>();
  const updateKey = config.updateKey ? groupKey(config.updateKey) : undefined;
  // Plain data: the group's key, its life and what the record added (values of the input).
  const contributions = env.state.map<unknown, Contribution>('contributions');
  const contributionExpiry = new ExpiryQueue<unknown>();
  const build = rowBuilder(output.fields, groupBy, config.aggregates);
  /** Records accepted so far: orders first/last ties, and numbers the lives of keys. */
  const arrivals = env.state.cell('arrivals', 0);
  /** Input batches so far: tells the groups a batch changed. */
  const batches = env.state.cell('batches', 0);
  // The expiry queues are an index over the entries' `scheduled` times.
  env.state.afterRestore(() => {
    groupExpiry.clear();
    contributionExpiry.clear();
    for (const [k, group] of groups) {
      if (group.scheduled !== Number.POSITIVE_INFINITY) groupExpiry.push(group.scheduled, k);
    }
    for (const [update, previous] of contributions) {
      if (previous.scheduled !== Number.POSITIVE_INFINITY)
        contributionExpiry.push(previous.scheduled, update);
    }
  });

  function touch(group: Group, t: number, batch: number, changed: Group[]): void {
    if (t > group.lastUpdate) group.lastUpdate = t;
    if (group.changedIn !== batch) {
      group.changedIn = batch;
      group.batchTime = t;
      changed.push(group);
    } else if (t > group.batchTime) group.batchTime = t;
  }

  /** Takes back what the record with this update key added before, if its group still has it. */
  function takeBack(
    previous: Contribution,
    into: Group | undefined,
    t: number,
    batch: number,
    changed: Group[],
  ): void {
    const group = groups.get(previous.group);
    // A group dropped since (it emptied, or was forgotten) no longer holds the contribution.
    if (group === undefined || group.generation !== previous.generation) return;
    aggregates.remove(group.accumulators, previous.values);
    group.records--;
    touch(group, t, batch, changed);
    // The record goes back into the same group: keep it rather than drop and recreate it.
    if (group.records === 0 && group !== into) groups.delete(previous.group);
  }

  function remember(update: unknown, group: unknown, generation: number, t: number): void {
    let previous = contributions.get(update);
    if (previous === undefined) {
      previous = {
        group,
        generation,
        values: aggregates.contribution(),
        time: t,
        scheduled: Number.POSITIVE_INFINITY,
      };
      contributions.set(update, previous);
      if (retention !== undefined) {
        previous.scheduled = t + retention;
        contributionExpiry.push(previous.scheduled, update);
      }
    } else {
      previous.group = group;
      previous.generation = generation;
      aggregates.contribution(previous.values);
      if (t > previous.time) previous.time = t;
    }
  }

  function createGroup(k: unknown, row: Row, t: number, arrival: number): Group {
    const group: Group = {
      values: key.values(row),
      accumulators: aggregates.create(),
      generation: arrival,
      records: 0,
      lastUpdate: t,
      scheduled: Number.POSITIVE_INFINITY,
      changedIn: -1,
      batchTime: t,
    };
    groups.set(k, group);
    if (retention !== undefined) {
      group.scheduled = t + retention;
      groupExpiry.push(group.scheduled, k);
    }
    return group;
  }

  function process(batch: Batch, _input: number, context: OperatorContext): void {
    const { rows, times } = batch;
    const n = rows.length;
    const batchNo = batches.value++;
    const changed: Group[] = [];
    let arrived = arrivals.value;
    for (let i = 0; i < n; i++) {
      const row = rows[i]!;
      const t = times[i]!;
      if (!aggregates.readOrReport(row, context)) continue;
      const arrival = arrived++;
      const k = key.of(row);
      let group = groups.get(k);
      let update: unknown;
      if (updateKey !== undefined) {
        update = updateKey.of(row);
        const previous = contributions.get(update);
        if (previous !== undefined) takeBack(previous, group, t, batchNo, changed);
      }
      group ??= createGroup(k, row, t, arrival);
      // In processing time, first/last follow arrival order, as in window.aggregate.
      aggregates.add(group.accumulators, eventTime ? t : arrival, arrival);
      group.records++;
      touch(group, t, batchNo, changed);
      if (updateKey !== undefined) remember(update, k, group.generation, t);
    }
    arrivals.value = arrived;
    if (changed.length === 0) return;
    const out: Row[] = [];
    const outTimes: number[] = [];
    for (const group of changed) {
      if (group.records === 0) continue;
      out.push(build(group.values, group.accumulators));
      outTimes.push(group.batchTime);
    }
    if (out.length > 0) context.emit({ rows: out, times: outTimes });
  }

  /** Forgets the groups and contributions without a record for `retention` ms up to `watermark`. */
  function forget(watermark: number, span: number): void {
    while (groupExpiry.size > 0 && groupExpiry.peekTime() <= watermark) {
      const at = groupExpiry.peekTime();
      const k = groupExpiry.pop();
      const group = groups.get(k);
      if (group === undefined || group.scheduled !== at) continue;
      const expiresAt = group.lastUpdate + span;
      if (expiresAt <= watermark) {
        groups.delete(k);
      } else {
        group.scheduled = expiresAt;
        groupExpiry.push(expiresAt, k);
      }
    }
    while (contributionExpiry.size > 0 && contributionExpiry.peekTime() <= watermark) {
      const at = contributionExpiry.peekTime();
      const update = contributionExpiry.pop();
      const previous = contributions.get(update);
      if (previous === undefined || previous.scheduled !== at) continue;
      const expiresAt = previous.time + span;
      if (expiresAt <= watermark) {
        contributions.delete(update);
      } else {
        previous.scheduled = expiresAt;
        contributionExpiry.push(expiresAt, update);
      }
    }
  }

  return {
    keyFields: [groupBy],
    process,
    onWatermark(watermark: number) {
      if (retention !== undefined) forget(watermark, retention);
    },
    finish() {
      // Every change was emitted with its batch: nothing is left to say, so the state can go.
      groups.clear();
      groupExpiry.clear();
      contributions.clear();
      contributionExpiry.clear();
    },
    metrics(): Record<string, number> {
      if (updateKey === undefined) return { groups: groups.size };
      return { groups: groups.size, updateKeys: contributions.size };
    },
  };
}

/** A group as plain data: its accumulators saved, the rest as it is (shared, so serialize at once). */
function groupCodec(aggregates: Aggregates): Codec<Group> {
  return {
    encode: (group) => [
      group.values,
      aggregates.save(group.accumulators),
      group.generation,
      group.records,
      group.lastUpdate,
      group.scheduled,
      group.changedIn,
      group.batchTime,
    ],
    decode(plain) {
      const [values, saved, generation, records, lastUpdate, scheduled, changedIn, batchTime] =
        plain as [unknown[], unknown[], number, number, number, number, number, number];
      return {
        values,
        accumulators: aggregates.load(saved),
        generation,
        records,
        lastUpdate,
        scheduled,
        changedIn,
        batchTime,
      };
    },
  };
}

/** Builds output rows: fields in the order of the output schema, so every row has one shape. */
function rowBuilder(
  fields: readonly { name: string }[],
  groupBy: readonly string[],
  aggregates: readonly { name: string }[],
): (values: readonly unknown[], accumulators: readonly Accumulator[]) => Row {
  const names = fields.map((f) => f.name);
  /** Per output field: an aggregate index (≥ 0), or −1 − the group-by index. */
  const sources = names.map((name) => {
    const aggregate = aggregates.findIndex((a) => a.name === name);
    if (aggregate >= 0) return aggregate;
    const group = groupBy.indexOf(name);
    if (group < 0) throw new Error(`output field '${name}' is neither grouped nor aggregated`);
    return -1 - group;
  });
  return (values, accumulators) => {
    const row: Row = {};
    for (let f = 0; f < names.length; f++) {
      const source = sources[f]!;
      row[names[f]!] = source >= 0 ? accumulators[source]!.result() : values[-1 - source];
    }
    return row;
  };
}
