import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { StateCounts } from './state-counts';
import { CountsLine } from './counts-line';

/**
 * A folded linear run: "202511131115 … 202511131121 · 5 revisions" with how many of them
 * are applied, pending or failed. A click expands it (the canvas handles the click).
 */
export type SegmentNodeData = {
  first: string;
  last: string;
  size: number;
  counts: StateCounts;
  match: boolean;
  onPlan: boolean;
};

export type SegmentFlowNode = Node<SegmentNodeData, 'segment'>;

export const SegmentNode = memo(function SegmentNode({ data, selected }: NodeProps<SegmentFlowNode>) {
  const tone =
    data.counts.failed > 0
      ? 'state-failed'
      : data.counts.pending === 0 && data.counts.applied > 0
        ? 'state-applied'
        : data.counts.applied > 0
          ? 'state-mixed'
          : 'state-pending';
  const classes = ['seg-node', tone, selected ? 'selected' : '', data.match ? 'match' : '', data.onPlan ? 'on-plan' : ''];
  return (
    <div
      className={classes.filter(Boolean).join(' ')}
      title={`${data.first} … ${data.last}: ${data.size} revisions folded; click to expand`}
      data-segment={data.first}
    >
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <div className="seg-range">
        <span className="seg-id">{data.first}</span> …
      </div>
      <div className="seg-range">
        … <span className="seg-id">{data.last}</span>
      </div>
      <div className="seg-meta">
        <span className="seg-size">{data.size} revisions</span>
        <CountsLine counts={data.counts} />
        <span className="seg-expand" aria-hidden="true">
          ▾
        </span>
      </div>
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </div>
  );
});
