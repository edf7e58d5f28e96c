// `sluice plan`: what deploying a new version would do to a job's state,
// node by node, so a CI pipeline can refuse a change that drops state
// (--fail-on-drop). Against the running server's job (--job ID), or offline,
// between two files (the version deployed and the new one).
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  hasErrors,
  MAX_PIPELINE_BYTES,
  type NodePlanStatus,
  type Pipeline,
  planUpgrade,
  readPipeline,
  type UpgradePlan,
} from '@sluice/shared';
import type { CliIO } from './io.js';
import { type ServerFlags, serverAccess } from './server-access.js';

export interface PlanFlags extends ServerFlags {
  /** The running (or savepointed) job the new version would replace. */
  readonly job?: string | undefined;
  readonly json: boolean;
  readonly failOnDrop: boolean;
}

/** 0 when planned (1 with --fail-on-drop and state dropped); 1 for a refusal; 2 for a bad call. */
export async function planCommand(
  files: readonly string[],
  flags: PlanFlags,
  io: CliIO,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  let plan: UpgradePlan | number;
  if (flags.job !== undefined) {
    if (files.length !== 1) return bad(io, 'plan --job needs the new version: one pipeline file.');
    plan = await planOnServer(flags.job, files[0]!, flags, io, env);
  } else {
    if (files.length !== 2)
      return bad(
        io,
        'plan needs the deployed version and the new one (or --job ID and the new one).',
      );
    const before = await pipelineIn(files[0]!, io);
    if (typeof before === 'number') return before;
    const after = await pipelineIn(files[1]!, io);
    if (typeof after === 'number') return after;
    plan = planUpgrade(before, after);
  }
  if (typeof plan === 'number') return plan;
  io.stdout(flags.json ? `${JSON.stringify(plan, null, 2)}\n` : describePlan(plan));
  if (flags.failOnDrop && plan.dropsState) {
    io.stderr('sluice: the new version drops state (--fail-on-drop).\n');
    return 1;
  }
  return 0;
}

const MARKS: Record<NodePlanStatus, string> = {
  kept: 'kept     ',
  migrated: 'migrated ',
  dropped: 'DROPPED  ',
  new: 'new      ',
  removed: 'removed  ',
  stateless: 'no state ',
};

/** The plan as lines: one per node, its status first, then what happens and why. */
export function describePlan(plan: UpgradePlan): string {
  const lines = [`Upgrade plan: ${plan.summary}`];
  for (const node of plan.nodes) {
    const position = node.position ? ` (position ${node.position})` : '';
    lines.push(`  ${MARKS[node.status]} ${node.name}${position}`);
    lines.push(`             ${node.says}`);
  }
  for (const note of plan.notes) lines.push(`Note: ${note}`);
  if (plan.dropsState) lines.push('Some state would be dropped.');
  return `${lines.join('\n')}\n`;
}

async function planOnServer(
  job: string,
  file: string,
  flags: PlanFlags,
  io: CliIO,
  env: NodeJS.ProcessEnv,
): Promise<UpgradePlan | number> {
  const pipeline = await pipelineIn(file, io);
  if (typeof pipeline === 'number') return pipeline;
  const access = serverAccess(flags, io, env);
  if (typeof access === 'number') return access;
  const { base, token, tokenFrom } = access;
  let response: Response;
  try {
    response = await fetch(`${base}/api/jobs/${encodeURIComponent(job)}/plan`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ pipeline }),
    });
  } catch {
    io.stderr(`sluice: no Sluice server answers at ${base}. Is \`sluice start\` running there?\n`);
    return 1;
  }
  if (response.status === 401) {
    io.stderr(`sluice: the server at ${base} refused the token ${tokenFrom}.\n`);
    return 1;
  }
  const body = (await response.json().catch(() => ({}))) as
    | UpgradePlan
    | { error?: { message?: string } };
  if (response.status !== 200) {
    const message = 'error' in body ? body.error?.message : undefined;
    io.stderr(`sluice: no plan (${response.status}): ${message ?? 'the server said no more'}\n`);
    return 1;
  }
  return body as UpgradePlan;
}

/** A valid pipeline read from a file, or the exit code after saying why not. */
async function pipelineIn(file: string, io: CliIO): Promise<Pipeline | number> {
  let text: string;
  try {
    const bytes = await readFile(resolve(io.cwd, file));
    if (bytes.length > MAX_PIPELINE_BYTES)
      return bad(io, `${file} is larger than ${MAX_PIPELINE_BYTES} bytes.`);
    text = bytes.toString('utf8');
  } catch {
    return bad(io, `cannot read ${file}.`);
  }
  const read = readPipeline(text);
  if (!read.pipeline || hasErrors(read.diagnostics)) {
    const first = read.diagnostics.find((d) => d.severity === 'error');
    return bad(
      io,
      `${file} is not a valid pipeline: ${first?.message ?? 'unknown problem'} (see sluice validate).`,
    );
  }
  return read.pipeline;
}

function bad(io: CliIO, problem: string): number {
  io.stderr(`sluice: ${problem}\n`);
  return 2;
}
