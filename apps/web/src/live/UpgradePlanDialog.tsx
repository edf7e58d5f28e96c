// The upgrade plan before it happens: beside the canvas, node by node, and on
// the graph itself (each node outlined in its plan's colour, its status on a
// tag), with "Deploy keeping state", "Deploy from scratch" and "Cancel".
// Not modal over the canvas: the graph it colours stays in view.
import type { NodePlan, NodePlanStatus, UpgradePlan } from '@sluice/shared';
import { useReactFlow } from '@xyflow/react';
import { X } from 'lucide-react';
import { useEffect, useId, useRef } from 'react';
import { useStore } from 'zustand';
import { useEditor, useEditorStore } from '../store/context.js';
import { cancelUpgrade, deployOffered, upgradeStore } from './upgrade.js';
import './upgrade-plan.css';

export const STATUS_WORDS: Record<NodePlanStatus, string> = {
  kept: 'state kept',
  migrated: 'state migrated',
  dropped: 'state dropped',
  new: 'new',
  removed: 'removed',
  stateless: 'no state',
};

export function UpgradePlanDialog() {
  const store = useEditorStore();
  const { offer, pending, error } = useStore(upgradeStore);
  const nodes = useEditor((s) => s.document.nodes);
  const id = useId();
  const panel = useRef<HTMLElement>(null);
  const flow = useReactFlow();
  useEffect(() => {
    if (!offer) return;
    panel.current?.querySelector<HTMLElement>('button.primary')?.focus();
    // The whole graph in the part of the canvas the panel leaves free, so no step is under it.
    const pane = document.querySelector('.react-flow')?.getBoundingClientRect();
    const box = panel.current?.getBoundingClientRect();
    if (!pane || !box) return;
    const covered = Math.max(0, pane.right - box.left);
    void flow.fitView({
      padding: { top: '40px', bottom: '24px', left: '24px', right: `${covered + 24}px` },
      maxZoom: 1,
    });
  }, [offer, flow]);
  if (!offer) return null;
  const { plan, job, version } = offer;
  const running = job.status === 'running';
  return (
    <>
      <style>{planStyles(plan)}</style>
      <section
        ref={panel}
        className="upgrade-plan"
        role="dialog"
        aria-labelledby={id}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && !pending) {
            e.stopPropagation();
            cancelUpgrade();
          }
        }}
      >
        <header className="upgrade-plan-head">
          <h2 id={id}>
            Deploy version {version} in place of the {running ? 'running job' : 'job'}
          </h2>
          <button
            type="button"
            className="icon-button"
            aria-label="Cancel"
            disabled={pending !== null}
            onClick={cancelUpgrade}
          >
            <X size={16} />
          </button>
        </header>
        <p className="upgrade-plan-lead">
          {running
            ? `Version ${job.pipelineVersion ?? '?'} is running. Keeping its state takes a savepoint, stops it, and starts version ${version} from there.`
            : `Version ${job.pipelineVersion ?? '?'} stopped with a savepoint; version ${version} can start from it.`}{' '}
          <strong>{plan.summary}.</strong>
        </p>
        <ul className="upgrade-plan-nodes" aria-label="What happens to each step's state">
          {inCanvasOrder(plan.nodes, nodes).map((node) => (
            <PlanRow key={node.id} node={node} />
          ))}
        </ul>
        {plan.notes.map((note) => (
          <p key={note} className="upgrade-plan-note">
            {note}
          </p>
        ))}
        {plan.dropsState && (
          <p className="upgrade-plan-note">
            Some state is dropped: those steps start empty even when you keep the rest.
          </p>
        )}
        {error && (
          <p className="upgrade-plan-error" role="alert">
            {error}
          </p>
        )}
        <footer className="upgrade-plan-actions">
          <button
            type="button"
            className="button primary"
            disabled={pending !== null}
            onClick={() => void deployOffered(store, true)}
          >
            {pending === 'keep' ? 'Taking a savepoint…' : 'Deploy keeping state'}
          </button>
          <button
            type="button"
            className="button"
            disabled={pending !== null}
            onClick={() => void deployOffered(store, false)}
          >
            {pending === 'scratch' ? 'Starting…' : 'Deploy from scratch'}
          </button>
          <button
            type="button"
            className="button"
            disabled={pending !== null}
            onClick={cancelUpgrade}
          >
            Cancel
          </button>
        </footer>
      </section>
    </>
  );
}

function PlanRow({ node }: { readonly node: NodePlan }) {
  return (
    <li className={`upgrade-plan-node plan-${node.status}`} data-node-id={node.id}>
      <span className="plan-chip">{STATUS_WORDS[node.status]}</span>
      <span className="plan-name">
        {node.name}
        {node.position && (
          <span className="plan-position">
            {node.position === 'kept' ? ' · reads on' : ' · reads from its start'}
          </span>
        )}
      </span>
      <span className="plan-says">{node.says}</span>
    </li>
  );
}

/** Left to right as on the canvas (then top to bottom); removed ones, not on it, last. */
function inCanvasOrder(
  planned: readonly NodePlan[],
  nodes: readonly { readonly id: string; readonly position?: { x: number; y: number } }[],
): NodePlan[] {
  const at = new Map(nodes.map((n) => [n.id, n.position ?? { x: 0, y: 0 }]));
  const key = (n: NodePlan) => at.get(n.id) ?? { x: Number.POSITIVE_INFINITY, y: 0 };
  return [...planned].sort((a, b) => key(a).x - key(b).x || key(a).y - key(b).y);
}

/** The graph's nodes outlined in their plan's colour, with their status on a tag. */
export function planStyles(plan: UpgradePlan): string {
  return plan.nodes
    .filter((node) => node.status !== 'removed')
    .map((node) => {
      const selector = `.react-flow__node[data-id="${CSS.escape(node.id)}"]`;
      return `${selector}{outline:3px solid var(--plan-${node.status});outline-offset:3px;border-radius:10px}${selector}::after{content:"${STATUS_WORDS[node.status]}";background:var(--plan-${node.status})}`;
    })
    .join('\n');
}
