import { Background, Controls, MarkerType, MiniMap, ReactFlow, useReactFlow, type Edge, type NodeChange, type ReactFlowInstance } from '@xyflow/react';
import { useCallback, useEffect, useMemo } from 'react';
import type { GraphView } from '../../../shared/graph/graph-view';
import { NODE_HEIGHT, NODE_WIDTH, type GraphLayout } from './layout-graph';
import { nodeState, type NodeState } from './node-states';
import { RevisionNode, type RevisionFlowNode } from './revision-node';

/**
 * The React Flow canvas. Nodes and edges are derived from the cached layout; only
 * colours, selection and search matches change between renders, and only visible
 * elements are rendered, so 300 revisions pan and zoom smoothly.
 */
const NODE_TYPES = { revision: RevisionNode };
/** Above this many revisions a fitted view is too small to read and too costly to draw at once. */
const FIT_LIMIT = 60;

const STATE_COLOUR: Record<NodeState, string> = {
  applied: '#3aa35f',
  current: '#13723a',
  pending: '#9aa1ac',
  failed: '#d0453d',
  ghost: '#d0453d',
  unknown: '#9aa1ac',
};

export interface GraphCanvasProps {
  view: GraphView;
  layout: GraphLayout;
  failed: string | null;
  selected: string | null;
  matches: ReadonlySet<string>;
  /** A node to centre on (search result), with a counter so the same node can be centred twice. */
  focus: { id: string; seq: number } | null;
  onSelect: (id: string | null) => void;
}

export function GraphCanvas({ view, layout, failed, selected, matches, focus, onSelect }: GraphCanvasProps) {
  const { graph } = view;
  const flow = useReactFlow();
  const heads = useMemo(() => new Set(graph.heads), [graph]);

  const nodes = useMemo<RevisionFlowNode[]>(
    () =>
      layout.nodes.map((n) => {
        const revision = graph.revisions[n.id];
        const state = nodeState(view, n.id, failed, n.kind === 'ghost');
        return {
          id: n.id,
          type: 'revision',
          position: { x: n.x, y: n.y },
          width: NODE_WIDTH,
          height: NODE_HEIGHT,
          selected: n.id === selected,
          draggable: false,
          connectable: false,
          ariaLabel: `Revision ${n.id}${revision?.message ? `: ${revision.message}` : ''}, ${state}`,
          data: {
            message: revision?.message ?? '',
            state,
            isHead: heads.has(n.id),
            isMerge: (revision?.downRevisions.length ?? 0) > 1,
            labels: revision?.branchLabels ?? [],
            match: matches.has(n.id),
          },
        };
      }),
    [layout, graph, view, failed, selected, matches, heads],
  );

  const edges = useMemo<Edge[]>(
    () =>
      layout.edges.map((e) => ({
        id: e.id,
        source: e.source,
        target: e.target,
        className: `edge-${e.kind}`,
        selectable: false,
        focusable: false,
        markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
      })),
    [layout],
  );

  // Clicks and keyboard selection (Enter on a focused node) both arrive as select changes.
  const onNodesChange = useCallback(
    (changes: NodeChange<RevisionFlowNode>[]) => {
      const chosen = changes.find((c) => c.type === 'select' && c.selected);
      if (chosen && chosen.type === 'select') onSelect(chosen.id);
    },
    [onSelect],
  );

  // Small graphs fit the view; big ones open at a readable zoom on where the database stands
  // (its current revision, else the first head), so only the nodes in view are rendered.
  const large = layout.nodes.length > FIT_LIMIT;
  const onInit = useCallback(
    (instance: ReactFlowInstance<RevisionFlowNode, Edge>) => {
      if (!large) return;
      const anchorId = view.overlay?.currentRows[0] ?? graph.heads[0] ?? layout.nodes[0]?.id;
      const anchor = layout.nodes.find((n) => n.id === anchorId);
      if (anchor) void instance.setCenter(anchor.x + NODE_WIDTH / 2, anchor.y + NODE_HEIGHT / 2, { zoom: 0.8 });
    },
    [large, layout, view.overlay, graph.heads],
  );

  useEffect(() => {
    if (!focus) return;
    const node = layout.nodes.find((n) => n.id === focus.id);
    if (node) void flow.setCenter(node.x + NODE_WIDTH / 2, node.y + NODE_HEIGHT / 2, { zoom: Math.max(flow.getZoom(), 1), duration: 350 });
  }, [focus, layout, flow]);

  return (
    <ReactFlow
      nodes={nodes}
      edges={edges}
      nodeTypes={NODE_TYPES}
      onNodesChange={onNodesChange}
      onNodeClick={(_event, node) => onSelect(node.id)}
      onPaneClick={() => onSelect(null)}
      onlyRenderVisibleElements
      onInit={onInit}
      fitView={!large}
      fitViewOptions={{ padding: 0.15, maxZoom: 1.1 }}
      minZoom={0.05}
      maxZoom={2.5}
      nodesDraggable={false}
      nodesConnectable={false}
      edgesFocusable={false}
      colorMode="system"
      aria-label="Migration graph"
    >
      <Background gap={24} size={1} />
      <Controls showInteractive={false} position="bottom-left" />
      <MiniMap pannable zoomable nodeColor={(node) => STATE_COLOUR[(node.data as { state: NodeState }).state]} position="bottom-right" ariaLabel="Graph overview" style={{ width: 150, height: 100 }} />
    </ReactFlow>
  );
}
