// The regular join: every left and right record with equal keys match,
// whatever their times, as SQL's inner join over streams. Each side keeps its
// records per key for its retention in event time: a record at t is kept
// while the watermark is below t + retention. Each arriving record probes the
// other side's kept records at once. There is no lateness: a record behind
// the watermark still probes, and is kept if its retention has not run out.
import type { joinRegular } from '@sluice/shared';
import type { EnvironmentOf, Operator } from '../operator.js';
import { validDuration } from './compile.js';
import { joinedRows } from './join/joined-rows.js';
import { keyReader } from './join/keys.js';
import { type ProbingSide, probingJoin } from './join/probing-join.js';

export function createJoinRegular(env: EnvironmentOf<typeof joinRegular>): Operator {
  const { config } = env;
  const side = (isLeft: boolean, port: number, retention: string): ProbingSide => {
    const ms = validDuration(retention);
    return {
      readKey: keyReader(
        config.on.map((p) => (isLeft ? p.left : p.right)),
        env.inputs[port]?.[0]?.fields ?? [],
      ),
      retention: ms,
      // 0s: the side only looks up; otherwise kept while its retention lasts.
      keeps: ms > 0,
      from: Number.NEGATIVE_INFINITY,
      to: Number.POSITIVE_INFINITY,
    };
  };
  return probingJoin({
    keyFields: [config.on.map((p) => p.left), config.on.map((p) => p.right)],
    left: side(true, 0, config.leftRetention),
    right: side(false, 1, config.rightRetention),
    joined: joinedRows(env),
    lateBehindWatermark: false,
    state: env.state,
  });
}
