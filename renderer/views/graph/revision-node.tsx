import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { STATE_LABEL, type NodeState } from './node-states';

/**
 * One revision on the canvas: its id (large enough to read at the fitted zoom), message,
 * badges (head, current, target, plan step, merge, branch labels) and its state.
 */
export type RevisionNodeData = {
  message: string;
  state: NodeState;
  isHead: boolean;
  isCurrent: boolean;
  isTarget: boolean;
  isMerge: boolean;
  /** Plan steps ending here ("1", "2"). */
  steps: number[];
  labels: string[];
  match: boolean;
  onPlan: boolean;
  /** The first revision of an expanded run: offers to fold it again. */
  foldRun: string | null;
  onFold: (run: string) => void;
};

export type RevisionFlowNode = Node<RevisionNodeData, 'revision'>;

export const RevisionNode = memo(function RevisionNode({ id, data, selected }: NodeProps<RevisionFlowNode>) {
  const classes = [
    'rev-node',
    `state-${data.state}`,
    selected ? 'selected' : '',
    data.match ? 'match' : '',
    data.onPlan ? 'on-plan' : '',
    data.isHead ? 'is-head' : '',
  ];
  return (
    <div
      className={classes.filter(Boolean).join(' ')}
      data-state={data.state}
      data-head={data.isHead || undefined}
      data-current={data.isCurrent || undefined}
      data-target={data.isTarget || undefined}
      data-revision={id}
    >
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <div className="rev-node-top">
        <span className="rev-id" data-testid="rev-id">
          {id}
        </span>
        {data.steps.map((step) => (
          <span key={step} className="plan-step-mark" title={`Step ${step} of the plan ends here`}>
            {step}
          </span>
        ))}
        <span className={`rev-state-dot state-${data.state}`} title={STATE_LABEL[data.state]} />
      </div>
      <div className="rev-message" title={data.message}>
        {data.message || (data.state === 'ghost' ? 'missing: no file defines this revision' : '(no message)')}
      </div>
      <div className="rev-badges">
        {data.isHead ? <span className="badge head">HEAD</span> : null}
        {data.isCurrent ? <span className="badge current">current</span> : null}
        {data.isTarget ? <span className="badge target">target</span> : null}
        {data.state === 'failed' ? <span className="badge failed">failed</span> : null}
        {data.state === 'ghost' ? <span className="badge failed">missing</span> : null}
        {data.isMerge ? <span className="badge merge">merge</span> : null}
        {data.labels.map((label) => (
          <span key={label} className="badge label" title={`branch label ${label}`}>
            {label}
          </span>
        ))}
        {data.foldRun ? (
          <button
            type="button"
            className="fold-button nodrag"
            title="Fold this run back into one segment"
            aria-label={`Fold the run starting at ${id}`}
            onClick={(event) => {
              event.stopPropagation();
              if (data.foldRun) data.onFold(data.foldRun);
            }}
          >
            fold ▴
          </button>
        ) : null}
      </div>
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </div>
  );
});
