import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { STATE_LABEL, type NodeState } from './node-states';

/** One revision on the canvas: id, message, badges (head, merge, branch labels) and its state. */
export type RevisionNodeData = {
  message: string;
  state: NodeState;
  isHead: boolean;
  isMerge: boolean;
  labels: string[];
  match: boolean;
};

export type RevisionFlowNode = Node<RevisionNodeData, 'revision'>;

export const RevisionNode = memo(function RevisionNode({ id, data, selected }: NodeProps<RevisionFlowNode>) {
  return (
    <div className={`rev-node state-${data.state}${selected ? ' selected' : ''}${data.match ? ' match' : ''}`} data-state={data.state} data-head={data.isHead || undefined}>
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <div className="rev-node-top">
        <span className="rev-id">{id}</span>
        <span className={`rev-state-dot state-${data.state}`} title={STATE_LABEL[data.state]} />
      </div>
      <div className="rev-message" title={data.message}>
        {data.message || (data.state === 'ghost' ? 'missing: no file defines this revision' : '(no message)')}
      </div>
      <div className="rev-badges">
        {data.isHead ? <span className="badge head">HEAD</span> : null}
        {data.state === 'current' ? <span className="badge current">current</span> : null}
        {data.state === 'failed' ? <span className="badge failed">failed</span> : null}
        {data.state === 'ghost' ? <span className="badge failed">missing</span> : null}
        {data.isMerge ? <span className="badge merge">merge</span> : null}
        {data.labels.map((label) => (
          <span key={label} className="badge label">
            {label}
          </span>
        ))}
      </div>
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </div>
  );
});
