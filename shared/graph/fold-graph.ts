/**
 * The migration graph as people read branch history: one lane per branch, and every
 * linear run of revisions folded into one segment node ("202511131115 … 202511131121 ·
 * 5 revisions") that can be expanded. A run may start at a merge and end at a branch
 * point, so every join between lanes is an edge into a run's first revision or out of
 * its last. Pinned revisions (heads, the database's current rows, the target) are never
 * folded: the revisions a person looks for are always drawn on their own.
 *
 * Pure and deterministic: the same graph and options give the same folding, which the
 * layout worker and the canvas both rely on (nodes are matched by key).
 */
import { branchSegments } from './branches';
import type { MigrationGraph } from './model';

export interface Lane {
  /** Index, in order of the lane's first revision in the graph order. */
  index: number;
  /** A branch label declared in the lane, else its version folder's name, else its first revision. */
  name: string;
  /** First revision of the lane (a base, a merge, or a child of a branch point). */
  root: string;
  /** Members, parents before children. */
  revisions: string[];
}

export interface FoldNode {
  /** A revision id for a single revision or a ghost; `run:<first>` for a folded segment. */
  key: string;
  kind: 'revision' | 'segment' | 'ghost';
  lane: number;
  /** The revisions drawn by this node, parents first (the ghost's missing id for a ghost). */
  revisions: string[];
  /**
   * The run this revision belongs to when that run is expanded (its key when folded),
   * so the canvas can offer to fold it again; null for revisions that are never folded.
   */
  run: string | null;
  /** Drawn on its own because it is a head, a current row, the target or a failure. */
  pinned: boolean;
}

export interface FoldEdge {
  id: string;
  source: string;
  target: string;
  kind: 'down' | 'depends' | 'missing';
}

export interface FoldedGraph {
  lanes: Lane[];
  nodes: FoldNode[];
  edges: FoldEdge[];
  /** Revision (or ghost) id → the key of the node that draws it. */
  nodeOf: Record<string, string>;
}

export interface FoldOptions {
  /** Revisions always drawn on their own: heads, current rows, the target, a failure. */
  pinned?: Iterable<string>;
  /** Keys of runs (`run:<first>`) to draw revision by revision. */
  expanded?: Iterable<string>;
  /** Draw every run expanded: the full graph, one node per revision. */
  expandAll?: boolean;
}

/** The key of the run starting at `first`, as FoldNode.key and FoldOptions.expanded use it. */
export function runKey(first: string): string {
  return `run:${first}`;
}

export function foldGraph(graph: MigrationGraph, options: FoldOptions = {}): FoldedGraph {
  const pinned = new Set(options.pinned ?? []);
  const expanded = new Set(options.expanded ?? []);
  const ids = graph.order.filter((id) => graph.revisions[id] !== undefined);
  const lanes = assignLanes(graph, ids);

  const nodes: FoldNode[] = [];
  const nodeOf: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const lane of lanes) {
    for (const run of linearRuns(graph, lane.revisions, pinned)) {
      const key = runKey(run[0]);
      if (run.length === 1 || options.expandAll || expanded.has(key)) {
        for (const id of run) {
          nodes.push({ key: id, kind: 'revision', lane: lane.index, revisions: [id], run: run.length > 1 ? key : null, pinned: pinned.has(id) });
          nodeOf[id] = id;
        }
      } else {
        nodes.push({ key, kind: 'segment', lane: lane.index, revisions: run, run: key, pinned: false });
        for (const id of run) nodeOf[id] = key;
      }
    }
  }

  const laneOf = new Map<string, number>();
  for (const lane of lanes) for (const id of lane.revisions) laneOf.set(id, lane.index);
  const edges: FoldEdge[] = [];
  const seen = new Set<string>();
  const addEdge = (source: string, target: string, kind: FoldEdge['kind']) => {
    if (source === target) return;
    const id = `${kind}:${source}->${target}`;
    if (seen.has(id)) return;
    seen.add(id);
    edges.push({ id, source, target, kind });
  };
  for (const id of ids) {
    for (const parent of graph.revisions[id].downRevisions) {
      if (graph.revisions[parent]) {
        addEdge(nodeOf[parent], nodeOf[id], 'down');
      } else {
        // A parent no file defines: a ghost in the child's lane shows where the chain breaks.
        if (nodeOf[parent] === undefined) {
          nodes.push({ key: parent, kind: 'ghost', lane: laneOf.get(id) ?? 0, revisions: [parent], run: null, pinned: false });
          nodeOf[parent] = parent;
        }
        addEdge(parent, nodeOf[id], 'missing');
      }
    }
    for (const dependency of graph.dependencies[id] ?? []) {
      if (graph.revisions[dependency]) addEdge(nodeOf[dependency], nodeOf[id], 'depends');
    }
  }
  return { lanes, nodes, edges, nodeOf };
}

/**
 * Lanes: a revision continues the lane of its first parent that is still that lane's
 * last revision (the first child of a branch point, the first parent of a merge);
 * otherwise it starts a lane. A revision declaring a branch label always starts its own
 * lane: the label names the branch from there on.
 */
function assignLanes(graph: MigrationGraph, ids: string[]): Lane[] {
  const lanes: { root: string; revisions: string[]; label: string | null }[] = [];
  const laneOf = new Map<string, number>();
  for (const id of ids) {
    const rev = graph.revisions[id];
    const declared = rev.branchLabels.find((l) => graph.labels[l] === id) ?? null;
    let lane = -1;
    for (const parent of rev.downRevisions) {
      const candidate = laneOf.get(parent);
      if (candidate === undefined) continue;
      const members = lanes[candidate].revisions;
      if (members[members.length - 1] !== parent) continue;
      if (declared) break;
      lane = candidate;
      break;
    }
    if (lane < 0) {
      lane = lanes.length;
      lanes.push({ root: id, revisions: [], label: null });
    }
    lanes[lane].revisions.push(id);
    if (declared && !lanes[lane].label) lanes[lane].label = declared;
    laneOf.set(id, lane);
  }
  // The lane is named like the branch its first revisions form (label, version folder or root id).
  const segmentName = new Map(branchSegments(graph).map((s) => [s.root, s.name] as const));
  return lanes.map((l, index) => ({ index, name: l.label ?? segmentName.get(l.root) ?? l.root, root: l.root, revisions: l.revisions }));
}

/**
 * A lane cut into runs. A revision joins the run before it when it has that revision as its
 * only parent and neither is pinned; a merge always starts a run and a branch point always
 * ends one, so edges from other lanes only enter a run at its first revision and only
 * leave from its last: the folded graph stays acyclic and every join stays visible.
 */
function linearRuns(graph: MigrationGraph, members: string[], pinned: ReadonlySet<string>): string[][] {
  const runs: string[][] = [];
  let current: string[] = [];
  for (const id of members) {
    const previous = current[current.length - 1];
    const parents = graph.revisions[id].downRevisions;
    const joins =
      previous !== undefined &&
      parents.length === 1 &&
      parents[0] === previous &&
      (graph.children[previous] ?? []).length === 1 &&
      !pinned.has(id) &&
      !pinned.has(previous);
    if (joins) current.push(id);
    else {
      if (current.length > 0) runs.push(current);
      current = [id];
    }
  }
  if (current.length > 0) runs.push(current);
  return runs;
}
