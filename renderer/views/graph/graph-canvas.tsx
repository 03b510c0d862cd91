import { Background, Controls, MiniMap, ReactFlow, useReactFlow, ViewportPortal, type Edge, type Viewport } from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { GraphView } from '../../../shared/graph/graph-view';
import { NODE_HEIGHT, NODE_WIDTH } from '../../../shared/graph/lane-layout';
import { fitViewport } from './fit-viewport';
import { neighbour, type Direction } from './graph-keyboard';
import type { GraphPins } from './graph-pins';
import { LaneLabel } from './lane-label';
import type { GraphLayout } from './layout-protocol';
import { minimapClear, minimapCorner, MINIMAP_SIZE, type Box, type Corner } from './minimap-corner';
import { NODE_HANDLES, NODE_MEASURED } from './node-handles';
import { nodeState, type NodeState } from './node-states';
import { RevisionNode, type RevisionFlowNode } from './revision-node';
import { SegmentNode, type SegmentFlowNode } from './segment-node';
import { reuseUnchanged } from './stable-nodes';
import { stateCounts } from './state-counts';

/**
 * The React Flow canvas over the folded lane layout (computed in the worker). Nodes and
 * edges are rebuilt only when the layout, the state colours, the selection or the
 * search matches change; only visible elements are rendered.
 */
const NODE_TYPES = { revision: RevisionNode, segment: SegmentNode };
/** Revision ids are 14 px: at this zoom they are still 9 px tall, the smallest a person reads comfortably. */
export const READABLE_ZOOM = 0.66;
const FIT_PADDING = 16;
/** A lane's name sits above its first node. */
const LANE_LABEL_SPACE = 20;
/** React Flow's zoom buttons (a row at the bottom left), with their margin. */
const CONTROLS_HEIGHT = 40;

const STATE_COLOUR: Record<NodeState, string> = {
  applied: '#3aa35f',
  current: '#13723a',
  pending: '#9aa1ac',
  failed: '#d0453d',
  ghost: '#d0453d',
  unknown: '#9aa1ac',
};

type FlowNode = RevisionFlowNode | SegmentFlowNode;

export interface GraphCanvasProps {
  view: GraphView;
  result: GraphLayout;
  pins: GraphPins;
  failed: string | null;
  /** The selected revision (a folded one selects its segment). */
  selected: string | null;
  matches: ReadonlySet<string>;
  /** A revision to centre on (search, heads list), with a counter so the same one can be centred twice. */
  focus: { id: string; seq: number } | null;
  showDepends: boolean;
  showMinimap: boolean;
  /** Heads are listed beside the canvas: the first view fits the current rows and the target only. */
  headsListed: boolean;
  /** `open`: show the details (click, Enter) rather than only move the selection (arrow keys). */
  onSelect: (id: string | null, open: boolean) => void;
  onExpand: (run: string) => void;
  onFold: (run: string) => void;
}

export function GraphCanvas(props: GraphCanvasProps) {
  const { view, result, pins, failed, selected, matches, focus, showDepends, showMinimap, headsListed, onSelect, onExpand, onFold } = props;
  const { graph } = view;
  const { folded, layout } = result;
  const flow = useReactFlow<FlowNode, Edge>();
  const box = useRef<HTMLDivElement>(null);
  const position = useMemo(() => new Map(layout.nodes.map((n) => [n.key, n] as const)), [layout]);
  const selectedKey = selected ? (folded.nodeOf[selected] ?? null) : null;

  const drawnNodes = useRef<ReadonlyMap<string, FlowNode>>(new Map());
  const nodes = useMemo<FlowNode[]>(() => {
    const list: FlowNode[] = [];
    // An expanded run's first revision offers to fold it again.
    const runStart = new Map<string, string>();
    for (const node of folded.nodes) if (node.run && !runStart.has(node.run)) runStart.set(node.run, node.key);
    for (const node of folded.nodes) {
      const at = position.get(node.key);
      if (!at) continue;
      const common = {
        position: { x: at.x, y: at.y },
        width: NODE_WIDTH,
        height: NODE_HEIGHT,
        measured: NODE_MEASURED,
        handles: NODE_HANDLES,
        draggable: false,
        connectable: false,
        selected: node.key === selectedKey,
      };
      if (node.kind === 'segment') {
        const first = node.revisions[0];
        const last = node.revisions[node.revisions.length - 1];
        list.push({
          ...common,
          id: node.key,
          type: 'segment',
          ariaLabel: `Folded run ${first} to ${last}, ${node.revisions.length} revisions; Enter expands it`,
          data: {
            first,
            last,
            size: node.revisions.length,
            counts: stateCounts(view, node.revisions, failed),
            match: node.revisions.some((id) => matches.has(id)),
            onPlan: node.revisions.some((id) => pins.onPlan.has(id)),
          },
        });
        continue;
      }
      const id = node.key;
      const revision = graph.revisions[id];
      const state = nodeState(view, id, failed, node.kind === 'ghost');
      const run = node.run && runStart.get(node.run) === id ? node.run : null;
      list.push({
        ...common,
        id,
        type: 'revision',
        ariaLabel: `Revision ${id}${revision?.message ? `: ${revision.message}` : ''}, ${state}`,
        data: {
          message: revision?.message ?? '',
          state,
          isHead: pins.heads.has(id),
          isCurrent: pins.current.has(id),
          isTarget: pins.target.has(id),
          isMerge: (revision?.downRevisions.length ?? 0) > 1,
          steps: pins.steps.get(id) ?? [],
          labels: revision?.branchLabels ?? [],
          match: matches.has(id),
          onPlan: pins.onPlan.has(id),
          foldRun: run,
          onFold,
        },
      });
    }
    const stable = reuseUnchanged(drawnNodes.current, list);
    drawnNodes.current = new Map(stable.map((n) => [n.id, n] as const));
    return stable;
  }, [folded, position, graph, view, failed, selectedKey, matches, pins, onFold]);

  const onPlanKey = useMemo(() => {
    const keys = new Set<string>();
    for (const id of pins.onPlan) if (folded.nodeOf[id]) keys.add(folded.nodeOf[id]);
    for (const id of pins.current) if (folded.nodeOf[id]) keys.add(folded.nodeOf[id]);
    return keys;
  }, [pins, folded]);

  const hazardLinks = useMemo(() => {
    const links: { id: string; source: string; target: string; table: string; x: number; y: number }[] = [];
    for (const h of view.hazards) {
      const source = folded.nodeOf[h.createdBy];
      const target = folded.nodeOf[h.revision];
      const from = source ? position.get(source) : undefined;
      const to = target ? position.get(target) : undefined;
      if (!source || !target || source === target || !from || !to) continue;
      const id = `hazard:${h.createdBy}->${h.revision}:${h.table}`;
      if (links.some((l) => l.id === id)) continue;
      links.push({ id, source, target, table: h.table, x: (from.x + to.x + NODE_WIDTH) / 2, y: (from.y + NODE_HEIGHT + to.y) / 2 });
    }
    return links;
  }, [view.hazards, folded, position]);

  const edges = useMemo<Edge[]>(() => {
    const list: Edge[] = [];
    for (const e of folded.edges) {
      if (e.kind === 'depends' && !showDepends) continue;
      const planned = e.kind === 'down' && onPlanKey.has(e.source) && onPlanKey.has(e.target) && pins.onPlan.size > 0;
      list.push({
        id: e.id,
        source: e.source,
        target: e.target,
        className: `edge-${e.kind}${planned ? ' edge-plan' : ''}`,
        selectable: false,
        focusable: false,
        zIndex: planned ? 1 : 0,
      });
    }
    // A hazard: the revision that needs a table another branch creates, drawn from creator to user.
    for (const h of hazardLinks) {
      list.push({ id: h.id, source: h.source, target: h.target, className: 'edge-hazard', selectable: false, focusable: false, zIndex: 2 });
    }
    return list;
  }, [folded, showDepends, onPlanKey, pins, hazardLinks]);

  // Read from a ResizeObserver, not from the DOM on every move: reading clientWidth after a render forces a layout.
  const size = useRef({ width: 800, height: 500 });
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    size.current = { width: element.clientWidth, height: element.clientHeight };
    const observer = new ResizeObserver(([entry]) => {
      if (entry) size.current = { width: entry.contentRect.width, height: entry.contentRect.height };
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  const canvasSize = () => size.current;

  // The canvas is mounted afresh for every graph (first open, reload, another repository):
  // once React Flow is ready, fit the whole graph if it is readable so, else the heads,
  // the current rows and the target, never below the readable zoom.
  const fitToPins = useCallback(() => {
    const wanted = [...(headsListed ? [] : pins.heads), ...pins.current, ...pins.target, ...pins.steps.keys()]
      .map((id) => folded.nodeOf[id])
      .filter((k): k is string => Boolean(k));
    const placed = wanted.map((k) => position.get(k)).filter((n) => n !== undefined);
    const viewport = fitViewport(layout.nodes, placed, canvasSize(), {
      nodeWidth: NODE_WIDTH,
      nodeHeight: NODE_HEIGHT,
      labelSpace: LANE_LABEL_SPACE,
      readableZoom: READABLE_ZOOM,
      maxZoom: 1.1,
      padding: FIT_PADDING,
      bottomReserved: CONTROLS_HEIGHT,
    });
    if (!viewport) return;
    void flow.setViewport(viewport);
    setFitted(viewport);
    placeMinimapRef.current(viewport);
  }, [folded, layout, position, pins, headsListed, flow]);
  // A reload that changes the pins (the database moved, a run failed) fits the view again,
  // once the layout drawn with the new pins has arrived; expanding a run keeps the view.
  const fittedPins = useRef(pins);
  useEffect(() => {
    if (fittedPins.current === pins) return;
    const drawnWithThesePins = pins.pinned.every((id) => folded.nodeOf[id] === id || !graph.revisions[id]);
    if (!drawnWithThesePins) return;
    fittedPins.current = pins;
    fitToPins();
  }, [pins, folded, graph, fitToPins]);
  const placeMinimapRef = useRef<(viewport: Viewport) => void>(() => undefined);
  /** The viewport the canvas was fitted to, on the DOM for tests and for support ("was the view reset?"). */
  const [fitted, setFitted] = useState<Viewport | null>(null);

  // The minimap draws every node again: it waits until the fitted canvas has painted and the page is idle.
  const [minimapDue, setMinimapDue] = useState(false);
  useEffect(() => {
    if (!fitted || minimapDue) return;
    const idle = requestIdleCallback(() => setMinimapDue(true), { timeout: 1000 });
    return () => cancelIdleCallback(idle);
  }, [fitted, minimapDue]);

  // A focus asked for before this canvas existed (a search on the previous graph) must not undo the fit.
  // Each focus moves the canvas once, when its revision is drawn on its own (its run expanded):
  // a later layout (a reload, another run expanded) must not pull the view back to it.
  const focusHandled = useRef(focus?.seq);
  useEffect(() => {
    if (!focus || focus.seq === focusHandled.current) return;
    const key = folded.nodeOf[focus.id];
    const node = key ? position.get(key) : undefined;
    if (!node || key !== focus.id) return;
    focusHandled.current = focus.seq;
    // Already in view: leave the canvas where the user put it. Otherwise jump (no animation: each animated frame re-renders the canvas).
    const { x, y, zoom } = flow.getViewport();
    const { width, height } = canvasSize();
    const left = node.x * zoom + x;
    const top = node.y * zoom + y;
    if (left >= 0 && top >= 0 && left + NODE_WIDTH * zoom <= width && top + NODE_HEIGHT * zoom <= height) return;
    void flow.setCenter(node.x + NODE_WIDTH / 2, node.y + NODE_HEIGHT / 2, { zoom: Math.max(zoom, 0.9) });
  }, [focus, folded, position, flow]);

  // The minimap moves to another corner when the selected node (else the current row) would be under it.
  // If no corner keeps the selected node clear, the minimap steps aside until the view moves.
  const [corner, setCorner] = useState<Corner | null>('bottom-right');
  const placeMinimap = useCallback(
    (viewport: Viewport) => {
      const boxOf = (key: string | null | undefined): Box | null => {
        const node = key ? position.get(key) : undefined;
        return node
          ? {
              x: node.x * viewport.zoom + viewport.x,
              y: node.y * viewport.zoom + viewport.y,
              width: NODE_WIDTH * viewport.zoom,
              height: NODE_HEIGHT * viewport.zoom,
            }
          : null;
      };
      const important = [...pins.current, ...pins.target, ...pins.heads].map((id) => boxOf(folded.nodeOf[id]));
      const selectedBox = boxOf(selectedKey);
      const avoid = [selectedBox, ...important].filter((b): b is Box => b !== null);
      const size = canvasSize();
      const chosen = minimapCorner(size, avoid, ['bottom-left']);
      setCorner(selectedBox && !minimapClear(chosen, size, selectedBox) ? null : chosen);
    },
    [selectedKey, pins, folded, position],
  );
  placeMinimapRef.current = placeMinimap;
  useEffect(() => placeMinimap(flow.getViewport()), [placeMinimap, flow]);

  const activate = useCallback(
    (key: string, open: boolean) => {
      const node = folded.nodes.find((n) => n.key === key);
      if (!node) return;
      if (node.kind === 'segment') {
        if (open && node.run) onExpand(node.run);
        onSelect(node.revisions[0], false);
      } else onSelect(node.revisions[0], open);
    },
    [folded, onExpand, onSelect],
  );

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const target = event.target as HTMLElement;
    if (target.closest('input, textarea, button:not(.react-flow__node)')) return;
    const arrows: Record<string, Direction> = { ArrowUp: 'up', ArrowDown: 'down', ArrowLeft: 'left', ArrowRight: 'right' };
    const direction = arrows[event.key];
    if (direction) {
      event.preventDefault();
      const keyed = layout.nodes.map((n) => ({ key: n.key, x: n.x, y: n.y, row: n.row }));
      const next = selectedKey
        ? neighbour(keyed, folded.edges, selectedKey, direction)
        : (folded.nodeOf[[...pins.current][0] ?? ''] ?? folded.nodeOf[graph.heads[0] ?? ''] ?? keyed[0]?.key ?? null);
      if (!next) return;
      activate(next, false);
      const at = position.get(next);
      if (at) void flow.setCenter(at.x + NODE_WIDTH / 2, at.y + NODE_HEIGHT / 2, { zoom: flow.getZoom() });
    } else if (event.key === 'Enter' && selectedKey) {
      event.preventDefault();
      activate(selectedKey, true);
    }
  };

  return (
    <div
      className="graph-flow"
      ref={box}
      onKeyDown={onKeyDown}
      tabIndex={0}
      aria-label="Migration graph: arrow keys move between revisions, Enter opens one"
      data-layout-nodes={layout.nodes.length}
      data-fitted={fitted ? `${fitted.x.toFixed(0)},${fitted.y.toFixed(0)},${fitted.zoom.toFixed(3)}` : undefined}
    >
      <ReactFlow<FlowNode, Edge>
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        onNodeClick={(_event, node) => activate(node.id, true)}
        onPaneClick={() => onSelect(null, false)}
        onMoveEnd={(_event, viewport) => placeMinimap(viewport)}
        onInit={fitToPins}
        // Mounting and measuring every node of a 38-head graph at once is the longest task on opening
        // it; a pan frame mounts only the few nodes that come into view.
        onlyRenderVisibleElements
        minZoom={READABLE_ZOOM}
        maxZoom={2}
        fitViewOptions={{ padding: 0.1, minZoom: READABLE_ZOOM, maxZoom: 1.1 }}
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable
        edgesFocusable={false}
        disableKeyboardA11y
        colorMode="system"
        aria-label="Migration graph"
      >
        {/* Lane names are drawn in the graph's coordinates but are not nodes: nothing to select or tab to. */}
        <ViewportPortal>
          {layout.lanes.map((lane) => {
            const members = folded.lanes[lane.index]?.revisions ?? [];
            return <LaneLabel key={lane.index} x={lane.x} y={lane.y} name={lane.name} size={members.length} counts={stateCounts(view, members, failed)} />;
          })}
          {hazardLinks.map((h) => (
            <div key={h.id} className="hazard-label" style={{ transform: `translate(${h.x}px, ${h.y}px) translate(-50%, -50%)` }} data-testid="hazard-label">
              ⚠ needs {h.table}
            </div>
          ))}
        </ViewportPortal>
        <Background gap={24} size={1} />
        <Controls showInteractive={false} position="bottom-left" orientation="horizontal" />
        {showMinimap && minimapDue && corner ? (
          <MiniMap
            pannable
            zoomable
            nodeColor={(node) => (node.type === 'segment' ? '#8b93a1' : STATE_COLOUR[(node.data as { state: NodeState }).state])}
            position={corner}
            ariaLabel="Graph overview"
            style={{ width: MINIMAP_SIZE.width, height: MINIMAP_SIZE.height }}
            className={`minimap-${corner}`}
          />
        ) : null}
      </ReactFlow>
    </div>
  );
}
