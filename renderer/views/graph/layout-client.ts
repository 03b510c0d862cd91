import { foldGraph } from '../../../shared/graph/fold-graph';
import { layoutLanes } from '../../../shared/graph/lane-layout';
import type { MigrationGraph } from '../../../shared/graph/model';
import type { GraphLayout, LayoutRequest, LayoutResponse } from './layout-protocol';

/**
 * Asks the layout worker for a graph's folded layout, and caches the answer per graph
 * and options: opening the view again, or folding a run back, costs nothing. Where no
 * worker can start (a page that forbids it), the same pure code runs on this thread
 * after a yield, so the view still appears, only less smoothly.
 */
const WORKER_FILE = 'graph-layout-worker.js';
/** Below this many revisions the graph is drawn whole, one node per revision. */
export const FOLD_MIN_REVISIONS = 16;

const cache = new WeakMap<MigrationGraph, Map<string, Promise<GraphLayout>>>();
const done = new WeakMap<MigrationGraph, Map<string, GraphLayout>>();
const graphIds = new WeakMap<MigrationGraph, number>();
const sent = new Set<number>();
const pending = new Map<number, { request: LayoutRequest; graph: MigrationGraph; resolve: (layout: GraphLayout) => void; reject: (error: Error) => void }>();
let worker: Worker | null = null;
let workerFailed = false;
let nextGraphId = 1;
let nextRequestId = 1;

/** Where layouts are computed: 'worker' once the worker answered, 'main-thread' after it failed. */
export function layoutMode(): 'worker' | 'main-thread' | 'not-started' {
  if (workerFailed) return 'main-thread';
  return worker ? 'worker' : 'not-started';
}

function optionsKey(pinned: readonly string[], expanded: readonly string[]): string {
  return `${[...pinned].sort().join(',')}|${[...expanded].sort().join(',')}`;
}

/** The layout when it is already known (no flash of an empty canvas on a cached graph). */
export function cachedLayout(graph: MigrationGraph, pinned: readonly string[], expanded: readonly string[]): GraphLayout | undefined {
  return done.get(graph)?.get(optionsKey(pinned, expanded));
}

export function requestLayout(graph: MigrationGraph, pinned: readonly string[], expanded: readonly string[]): Promise<GraphLayout> {
  const key = optionsKey(pinned, expanded);
  let forGraph = cache.get(graph);
  if (!forGraph) {
    forGraph = new Map();
    cache.set(graph, forGraph);
  }
  const known = forGraph.get(key);
  if (known) return known;
  const promise = compute(graph, [...pinned], [...expanded], graph.order.length < FOLD_MIN_REVISIONS).then((layout) => {
    let results = done.get(graph);
    if (!results) {
      results = new Map();
      done.set(graph, results);
    }
    results.set(key, layout);
    return layout;
  });
  forGraph.set(key, promise);
  promise.catch(() => forGraph?.delete(key));
  return promise;
}

function compute(graph: MigrationGraph, pinned: string[], expanded: string[], expandAll: boolean): Promise<GraphLayout> {
  const active = startWorker();
  if (!active) return onThisThread(graph, pinned, expanded, expandAll);
  let graphId = graphIds.get(graph);
  if (graphId === undefined) {
    graphId = nextGraphId++;
    graphIds.set(graph, graphId);
  }
  const request: LayoutRequest = { requestId: nextRequestId++, graphId, pinned, expanded, expandAll };
  if (!sent.has(graphId)) {
    request.graph = graph;
    sent.add(graphId);
  }
  return new Promise<GraphLayout>((resolve, reject) => {
    pending.set(request.requestId, { request, graph, resolve, reject });
    active.postMessage(request);
  });
}

function onThisThread(graph: MigrationGraph, pinned: string[], expanded: string[], expandAll: boolean): Promise<GraphLayout> {
  return new Promise((resolve) => {
    setTimeout(() => {
      const folded = foldGraph(graph, { pinned, expanded, expandAll });
      resolve({ folded, layout: layoutLanes(folded) });
    }, 0);
  });
}

function startWorker(): Worker | null {
  if (workerFailed) return null;
  if (worker) return worker;
  if (typeof Worker !== 'function') {
    workerFailed = true;
    return null;
  }
  try {
    // The page's query (the browser host's token) goes along: every asset request must carry it.
    worker = new Worker(new URL(`${WORKER_FILE}${location.search}`, location.href));
  } catch {
    workerFailed = true;
    return null;
  }
  worker.onmessage = (event: MessageEvent<LayoutResponse>) => {
    const answer = event.data;
    const waiting = pending.get(answer.requestId);
    if (!waiting) return;
    pending.delete(answer.requestId);
    if (answer.ok) waiting.resolve(answer.result);
    else if (answer.needsGraph) {
      // The worker restarted or dropped the graph: send it again.
      sent.delete(waiting.request.graphId);
      compute(waiting.graph, waiting.request.pinned, waiting.request.expanded, waiting.request.expandAll).then(waiting.resolve, waiting.reject);
    } else waiting.reject(new Error(answer.message));
  };
  worker.onerror = (event) => {
    // The worker could not load (or crashed): finish what was asked on this thread, and stay there.
    event.preventDefault();
    workerFailed = true;
    worker?.terminate();
    worker = null;
    const waiting = [...pending.values()];
    pending.clear();
    for (const w of waiting) onThisThread(w.graph, w.request.pinned, w.request.expanded, w.request.expandAll).then(w.resolve, w.reject);
  };
  return worker;
}
