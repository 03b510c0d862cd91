import type { FoldedGraph } from '../../../shared/graph/fold-graph';
import type { LaneLayout } from '../../../shared/graph/lane-layout';
import type { MigrationGraph } from '../../../shared/graph/model';

/**
 * Messages between the canvas and the layout worker. The graph crosses once per graph
 * (keyed by `graphId`); later requests for it (expanding a run) send only the options.
 */
export interface LayoutRequest {
  requestId: number;
  graphId: number;
  /** Present the first time this graph is sent. */
  graph?: MigrationGraph;
  pinned: string[];
  expanded: string[];
  /** Small graphs are drawn whole: folding them would hide nothing worth hiding. */
  expandAll: boolean;
}

export interface GraphLayout {
  folded: FoldedGraph;
  layout: LaneLayout;
}

export type LayoutResponse = { requestId: number; ok: true; result: GraphLayout } | { requestId: number; ok: false; message: string; needsGraph: boolean };
