// The interval join: a left record at tl and a right record at tr with equal
// keys match when tl + lower ≤ tr ≤ tl + upper. Both sides are buffered per
// key; each arriving record probes the other side at once, and the watermark
// drops records no on-time record can still match.
import type { joinInterval } from '@sluice/shared';
import type { EnvironmentOf, Operator } from '../operator.js';
import { validDuration } from './compile.js';
import { joinedRows } from './join/joined-rows.js';
import { keyReader } from './join/keys.js';
import { probingJoin } from './join/probing-join.js';

export function createJoinInterval(env: EnvironmentOf<typeof joinInterval>): Operator {
  const { config } = env;
  const lower = validDuration(config.lower);
  const upper = validDuration(config.upper);
  const readKey = (isLeft: boolean, port: number) =>
    keyReader(
      config.on.map((p) => (isLeft ? p.left : p.right)),
      env.inputs[port]?.[0]?.fields ?? [],
    );
  return probingJoin({
    keyFields: [config.on.map((p) => p.left), config.on.map((p) => p.right)],
    // No future right record (tr > W) matches a left one once W ≥ tl + upper,
    // and no future left record matches a right one once W ≥ tr − lower.
    // With a negative bound a record can be useless on arrival: it only probes.
    left: { readKey: readKey(true, 0), retention: upper, keeps: true, from: lower, to: upper },
    right: { readKey: readKey(false, 1), retention: -lower, keeps: true, from: -upper, to: -lower },
    joined: joinedRows(env),
    // As Flink's interval join: behind the watermark is late, even if a match is still buffered.
    lateBehindWatermark: true,
    state: env.state,
  });
}
