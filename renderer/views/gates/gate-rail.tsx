import { GATE_IDS, type GateId } from '../../../shared/report/gates';
import { Elapsed } from '../../components/elapsed';
import { formatDuration } from '../../components/format';
import { StatusBadge } from '../../components/status';
import { laterGatesInRun, shownGate } from '../../state/shown';
import { useApp } from '../../state/store-context';

/** E1 → E2 → E3 → R4 → VERIFY → R5, each a button showing status, duration and step counter. */
export function GateRail() {
  return (
    <ol className="gate-rail" aria-label="Gates">
      {GATE_IDS.map((id, index) => (
        <li key={id} className="gate-rail-item">
          {index > 0 ? (
            <span className="gate-arrow" aria-hidden="true">
              →
            </span>
          ) : null}
          <GateButton id={id} />
        </li>
      ))}
    </ol>
  );
}

/**
 * A gate that ran to its end but found problems (E1's diagnosis) says so: "passed · 2
 * problems". It still passed, so the gates that fix those problems are not blocked. When
 * later gates ran after it, the problems are the database as the run found it, which the
 * run went on to change: "at start" keeps a green rebuild from reading as still broken.
 */
export function passedLabel(status: string, steps: ReadonlyArray<{ status: string }>, laterGatesRan: boolean): string | undefined {
  if (status !== 'passed') return undefined;
  const problems = steps.filter((step) => step.status === 'failed').length;
  if (problems === 0) return undefined;
  return `passed · ${problems} problem${problems === 1 ? '' : 's'}${laterGatesRan ? ' at start' : ''}`;
}

function GateButton({ id }: { id: GateId }) {
  const gate = useApp(shownGate(id));
  const selected = useApp((s) => s.selectedGate === id);
  const select = useApp((s) => s.selectGate);
  const laterRan = useApp(laterGatesInRun(id));
  // "[k/n]" only: a bare "[k]" reads as a different kind of count than the other gates' counters.
  const counter = gate.totalSteps ? `[${gate.stepIndex}/${gate.totalSteps}]` : '';
  return (
    <button
      type="button"
      className={`gate-card status-${gate.status}${selected ? ' selected' : ''}${gate.inRun ? '' : ' not-in-run'}`}
      onClick={() => select(id)}
      aria-pressed={selected}
      data-testid={`gate-${id}`}
      data-status={gate.status}
    >
      <span className="gate-head-line">
        <span className="gate-id">{id}</span>
        <span className="step-counter">{counter}</span>
      </span>
      <span className="gate-title" title={gate.title}>
        {gate.title}
      </span>
      {/* One wrapping line: in a narrow card the duration moves under the status instead of over it. */}
      <span className="gate-status-line">
        <StatusBadge status={gate.status} label={passedLabel(gate.status, gate.steps, laterRan)} />
        <span className="gate-time">{gate.status === 'running' && gate.startedAt ? <Elapsed since={gate.startedAt} /> : formatDuration(gate.durationMs)}</span>
      </span>
    </button>
  );
}
