// The canvas: React Flow, controlled by the document in the store. Flow
// nodes and edges are derived from the document; every user gesture comes
// back as a document edit (or a selection), never as flow state of its own.

import {
  Background,
  type Connection,
  ControlButton,
  Controls,
  type Edge,
  type EdgeChange,
  type FinalConnectionState,
  type NodeChange,
  ReactFlow,
  useNodesInitialized,
  useReactFlow,
} from '@xyflow/react';
import { Maximize } from 'lucide-react';
import { type DragEvent, type MouseEvent, useCallback, useEffect, useMemo, useRef } from 'react';
import { measuredSizes, movedPositions, selectionAfter } from '../document/changes.js';
import { connectionProblem } from '../document/connection.js';
import { moveNodes } from '../document/document.js';
import {
  connectionEnds,
  documentBounds,
  type OperatorFlowNode,
  type PipelineFlowEdge,
  toFlowEdges,
  toFlowNodes,
} from '../document/flow.js';
import { Bottlenecks } from '../live/Bottlenecks.js';
import { KIND_MIME } from '../palette/Palette.js';
import { useEditor, useEditorStore } from '../store/context.js';
import { addOperator, connect } from '../store/edits.js';
import { OperatorNode } from './OperatorNode.js';
import { OverviewMap } from './OverviewMap.js';
import { PipelineEdge } from './PipelineEdge.js';
import { FIT, type FitOptions, fittedViewport, MIN_ZOOM, revealZoom, WHOLE } from './viewport.js';

// Defined once, outside any component, so React Flow never sees new types.
const nodeTypes = { operator: OperatorNode };
const edgeTypes = { pipeline: PipelineEdge };
const MOVE_MS = 250;

export function Canvas({ onFileDrop }: { onFileDrop: (file: File) => void }) {
  const store = useEditorStore();
  const flow = useReactFlow<OperatorFlowNode, PipelineFlowEdge>();
  const document = useEditor((s) => s.document);
  const selection = useEditor((s) => s.selection);
  const measured = useEditor((s) => s.measured);
  const theme = useEditor((s) => s.theme);
  const live = useEditor((s) => s.live.job !== null);
  const bottlenecks = useEditor((s) => s.panels.bottlenecks);
  const wrapper = useRef<HTMLDivElement>(null);

  const previousNodes = useRef<OperatorFlowNode[]>([]);
  const previousEdges = useRef<PipelineFlowEdge[]>([]);
  const nodes = useMemo(() => {
    previousNodes.current = toFlowNodes(document, selection, measured, previousNodes.current);
    return previousNodes.current;
  }, [document, selection, measured]);
  const edges = useMemo(() => {
    previousEdges.current = toFlowEdges(document, selection, previousEdges.current);
    return previousEdges.current;
  }, [document, selection]);

  // Fitted from the document (the source of truth), so a fit right after an
  // open or a layout never uses the positions React Flow has not caught up with.
  const fit = useCallback(
    (animate = true, options: FitOptions = FIT) => {
      const pane = wrapper.current;
      const { document, measured } = store.getState();
      const bounds = documentBounds(document, measured);
      if (!pane || !bounds) return;
      const view = fittedViewport(bounds, pane.clientWidth, pane.clientHeight, options);
      void flow.setViewport(view, animate ? { duration: MOVE_MS } : undefined);
    },
    [store, flow],
  );

  // Each document opened is fitted in view once its nodes have their sizes; an
  // empty one starts at full size, where dropped steps are readable.
  const opened = useEditor((s) => s.opened);
  const initialized = useNodesInitialized();
  const fittedFor = useRef(-1);
  useEffect(() => {
    if (fittedFor.current === opened) return;
    if (store.getState().document.nodes.length === 0) {
      fittedFor.current = opened;
      void flow.setViewport({ x: 0, y: 0, zoom: 1 });
    } else if (initialized) {
      fittedFor.current = opened;
      fit(false);
    }
  }, [store, flow, initialized, opened, fit]);

  // Entering or leaving a job's view changes the panels around the canvas: fit again.
  const wasLive = useRef(live);
  useEffect(() => {
    if (wasLive.current === live) return;
    wasLive.current = live;
    const frame = requestAnimationFrame(() => fit());
    return () => cancelAnimationFrame(frame);
  }, [live, fit]);

  useEffect(() => {
    store.getState().setCanvasView({
      fitView: () => fit(true, WHOLE),
      reveal: ({ nodeId, edgeId }) => {
        const edge = edgeId
          ? store.getState().document.edges.find((e) => e.id === edgeId)
          : undefined;
        const ids = nodeId ? [nodeId] : edge ? [edge.source, edge.target] : [];
        const boxes = ids.flatMap((id) => {
          const node = flow.getInternalNode(id);
          if (!node) return [];
          const { x, y } = node.internals.positionAbsolute;
          return [
            { x: x + (node.measured.width ?? 0) / 2, y: y + (node.measured.height ?? 0) / 2 },
          ];
        });
        if (boxes.length === 0) return;
        const x = boxes.reduce((sum, b) => sum + b.x, 0) / boxes.length;
        const y = boxes.reduce((sum, b) => sum + b.y, 0) / boxes.length;
        void flow.setCenter(x, y, { zoom: revealZoom(flow.getZoom()), duration: MOVE_MS });
      },
      center: () => {
        const box = wrapper.current?.getBoundingClientRect();
        if (!box) return { x: 0, y: 0 };
        return flow.screenToFlowPosition({
          x: box.left + box.width / 2 - 92,
          y: box.top + box.height / 2 - 36,
        });
      },
    });
    return () => store.getState().setCanvasView(null);
  }, [store, flow, fit]);

  const onNodesChange = useCallback(
    (changes: NodeChange<OperatorFlowNode>[]) => {
      const state = store.getState();
      const positions = movedPositions(changes);
      if (positions.size > 0) {
        // A drag is one undo step (begun in onNodeDragStart); arrow keys move in steps.
        if (state.gestureStart) state.moveDuringGesture(positions);
        else state.edit('Move', (doc) => moveNodes(doc, positions), { coalesce: 'move' });
      }
      state.setMeasured(measuredSizes(changes));
      const next = selectionAfter(state.selection, changes, []);
      if (next !== state.selection) state.select(next);
    },
    [store],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange<PipelineFlowEdge>[]) => {
      const state = store.getState();
      const next = selectionAfter(state.selection, [], changes);
      if (next !== state.selection) state.select(next);
    },
    [store],
  );

  const isValidConnection = useCallback(
    (connection: Connection | Edge) => {
      const { document, catalog } = store.getState();
      return connectionProblem(document, catalog, connectionEnds(connection)) === undefined;
    },
    [store],
  );

  const onConnect = useCallback(
    (connection: Connection) => {
      connect(store, connectionEnds(connection));
    },
    [store],
  );

  // A refused connection says why, rather than just snapping back.
  const onConnectEnd = useCallback(
    (_event: unknown, state: FinalConnectionState) => {
      if (state.isValid !== false || !state.fromHandle || !state.toHandle) return;
      const from = state.fromHandle;
      const to = state.toHandle;
      const outward = from.type === 'source';
      const ends = connectionEnds({
        source: outward ? from.nodeId : to.nodeId,
        sourceHandle: outward ? (from.id ?? null) : (to.id ?? null),
        target: outward ? to.nodeId : from.nodeId,
        targetHandle: outward ? (to.id ?? null) : (from.id ?? null),
      });
      const { document, catalog, notify } = store.getState();
      const problem =
        from.type === to.type
          ? 'Connect an output (right side) to an input (left side).'
          : connectionProblem(document, catalog, ends);
      if (problem) notify({ tone: 'info', message: problem });
    },
    [store],
  );

  const onNodeDragStart = useCallback(() => store.getState().beginGesture(), [store]);
  const onNodeDragStop = useCallback(() => store.getState().endGesture('Move'), [store]);

  const onDragOver = useCallback((event: DragEvent) => {
    event.preventDefault();
    event.dataTransfer.dropEffect = event.dataTransfer.types.includes(KIND_MIME) ? 'move' : 'copy';
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      event.preventDefault();
      if (store.getState().live.job) return;
      const file = event.dataTransfer.files[0];
      if (file) {
        onFileDrop(file);
        return;
      }
      const kind = event.dataTransfer.getData(KIND_MIME);
      const entry = store.getState().catalog.byKind.get(kind);
      if (!entry) return;
      const at = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      addOperator(store, entry, { x: at.x - 92, y: at.y - 30 });
    },
    [store, flow, onFileDrop],
  );

  const onDoubleClick = useCallback(
    (event: MouseEvent) => {
      if (!(event.target as Element).classList.contains('react-flow__pane')) return;
      if (store.getState().live.job) return;
      const at = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      store.getState().openDialog('add-node', { x: at.x - 92, y: at.y - 30 });
    },
    [store, flow],
  );

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: a mouse shortcut; the keyboard has Add a step (Ctrl+K)
    <div
      className={`canvas${live ? ' canvas-live' : ''}${live && bottlenecks ? ' canvas-bottlenecks' : ''}`}
      ref={wrapper}
      onDoubleClick={onDoubleClick}
    >
      <ReactFlow<OperatorFlowNode, PipelineFlowEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        isValidConnection={isValidConnection}
        onNodeDragStart={onNodeDragStart}
        onNodeDragStop={onNodeDragStop}
        onDragOver={onDragOver}
        onDrop={onDrop}
        deleteKeyCode={null}
        multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
        zoomOnDoubleClick={false}
        // A job's pipeline is read-only: steps are chosen to inspect, not moved or rewired.
        nodesDraggable={!live}
        nodesConnectable={!live}
        minZoom={MIN_ZOOM}
        // Only the steps and connections in view are in the page: a 200-step
        // pipeline's live figures and a pan then cost what the screen shows.
        onlyRenderVisibleElements
        colorMode={theme}
        aria-label="Pipeline canvas"
      >
        <Background gap={20} size={1} />
        <OverviewMap />
        <Controls showInteractive={false} showFitView={false}>
          <ControlButton
            onClick={() => fit(true, WHOLE)}
            title="Fit the pipeline in view"
            aria-label="Fit the pipeline in view"
          >
            <Maximize />
          </ControlButton>
        </Controls>
      </ReactFlow>
      {live && <Bottlenecks />}
      {document.nodes.length === 0 && (
        <div className="canvas-empty" aria-hidden="true">
          <p>Drag an operator here from the left, or double-click to search.</p>
          <p className="muted">You can also drop a pipeline .json file to import it.</p>
        </div>
      )}
    </div>
  );
}
