import { Position, type NodeHandle } from '@xyflow/react';
import { NODE_HEIGHT, NODE_WIDTH } from '../../../shared/graph/lane-layout';

/** React Flow's default handle: 6 px plus a 1 px border, centred on the node's edge. */
const HANDLE_SIZE = 8;

/**
 * Every canvas node has the same size and one handle centred on its top (edges in) and
 * bottom (edges out). Given to React Flow up front, with the size as already measured, it
 * draws only the nodes in view instead of mounting every node once to measure it: on a
 * 38-head graph that first measuring pass was the longest task of opening the view.
 */
export const NODE_MEASURED = { width: NODE_WIDTH, height: NODE_HEIGHT };

export const NODE_HANDLES: NodeHandle[] = [
  { type: 'target', position: Position.Top, x: NODE_WIDTH / 2 - HANDLE_SIZE / 2, y: -HANDLE_SIZE / 2, width: HANDLE_SIZE, height: HANDLE_SIZE },
  { type: 'source', position: Position.Bottom, x: NODE_WIDTH / 2 - HANDLE_SIZE / 2, y: NODE_HEIGHT - HANDLE_SIZE / 2, width: HANDLE_SIZE, height: HANDLE_SIZE },
];
