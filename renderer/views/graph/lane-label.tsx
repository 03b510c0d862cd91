import { memo } from 'react';
import { CountsLine } from './counts-line';
import type { StateCounts } from './state-counts';

/** A lane's name above its first node, with the lane's applied / pending / failed counts. */
export interface LaneLabelProps {
  x: number;
  y: number;
  name: string;
  size: number;
  counts: StateCounts;
}

export const LaneLabel = memo(function LaneLabel({ x, y, name, size, counts }: LaneLabelProps) {
  return (
    <div
      className="lane-label"
      style={{ transform: `translate(${x}px, ${y}px)` }}
      title={`Branch ${name}: ${size} revision${size === 1 ? '' : 's'}`}
      data-lane={name}
    >
      <span className="lane-name">{name}</span>
      <span className="lane-size">{size}</span>
      <CountsLine counts={counts} />
    </div>
  );
});
