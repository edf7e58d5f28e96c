// The bottleneck view's switch, over the live canvas, and, while it is on,
// its one sentence naming what limits the job (see bottleneck.ts); the steps
// take their colour from how busy they are (OperatorNode, .heat).
import { Gauge } from 'lucide-react';
import { CommandButton } from '../commands/CommandButton.js';
import { useEditor } from '../store/context.js';
import { bottleneckOf } from './bottleneck.js';

export function Bottlenecks() {
  const on = useEditor((s) => s.panels.bottlenecks);
  return (
    <div className="bottlenecks">
      <CommandButton name="bottlenecks" look="button">
        <Gauge size={14} />
      </CommandButton>
      {on && <BottleneckSentence />}
    </div>
  );
}

function BottleneckSentence() {
  const nodes = useEditor((s) => s.live.nodes);
  const document = useEditor((s) => s.document);
  const catalog = useEditor((s) => s.catalog);
  const onFlink = useEditor((s) => s.live.job?.flink !== undefined);
  const running = useEditor((s) => s.live.job?.status === 'running');
  if (!running) {
    return <p className="bottleneck-sentence muted">The job has ended: nothing limits it now.</p>;
  }
  const titleOf = (id: string) => {
    const node = document.nodes.find((n) => n.id === id);
    return node?.label || catalog.byKind.get(node?.kind ?? '')?.label || id;
  };
  const { sentence, nodeId } = bottleneckOf(
    [...nodes.values()].map((n) => n.metrics),
    titleOf,
    (kind) => catalog.byKind.get(kind)?.category,
    onFlink,
  );
  return (
    <p
      className={`bottleneck-sentence${nodeId ? ' tone-warning' : ''}`}
      data-testid="bottleneck"
      role="status"
    >
      {sentence}
    </p>
  );
}
