import { foldGraph } from '../../../shared/graph/fold-graph';
import { layoutLanes } from '../../../shared/graph/lane-layout';
import type { MigrationGraph } from '../../../shared/graph/model';
import type { LayoutRequest, LayoutResponse } from './layout-protocol';

/**
 * The layout worker (dist/renderer/graph-layout-worker.js): folds and lays out the graph
 * off the UI thread. It keeps the graphs it was sent, so expanding a run sends only the
 * options, not the graph again.
 */
interface WorkerScope {
  onmessage: ((event: { data: LayoutRequest }) => void) | null;
  postMessage(message: LayoutResponse): void;
}
declare const self: WorkerScope;

const graphs = new Map<number, MigrationGraph>();
/** A handful of graphs at most (one per repository opened); the oldest goes first. */
const KEEP = 4;

self.onmessage = (event) => {
  const request = event.data;
  if (request.graph) {
    graphs.delete(request.graphId);
    graphs.set(request.graphId, request.graph);
    while (graphs.size > KEEP) graphs.delete(graphs.keys().next().value as number);
  }
  const graph = graphs.get(request.graphId);
  if (!graph) {
    self.postMessage({ requestId: request.requestId, ok: false, message: 'graph not sent', needsGraph: true });
    return;
  }
  try {
    const folded = foldGraph(graph, { pinned: request.pinned, expanded: request.expanded, expandAll: request.expandAll });
    self.postMessage({ requestId: request.requestId, ok: true, result: { folded, layout: layoutLanes(folded) } });
  } catch (error) {
    self.postMessage({ requestId: request.requestId, ok: false, message: error instanceof Error ? error.message : String(error), needsGraph: false });
  }
};
