import type { GateId } from '../../../shared/report/gates';
import type { Finding } from '../../../shared/report/report';
import { shownGate, shownRunFindings } from '../../state/shown';
import { useApp } from '../../state/store-context';

/**
 * Under a failed gate: the guide's failure mode the engine recognised in it, with a way
 * to its fix, so nobody has to read a traceback to learn it was "failure 2".
 */
const GATE_FINDINGS: Partial<Record<GateId, (id: string) => boolean>> = {
  R4: (id) => /^FM[123]$/.test(id) || id.startsWith('MIGRATION-'),
  R5: (id) => id === 'FM4' || id === 'VALIDATION-FAILED',
};

const NONE: Finding[] = [];

export function GateFindings({ gate }: { gate: GateId }) {
  const failed = useApp((s) => shownGate(gate)(s).status === 'failed');
  const findings = useApp(shownRunFindings);
  const setView = useApp((s) => s.setView);
  const matches = GATE_FINDINGS[gate];
  const related = failed && matches ? findings.filter((f) => matches(f.id)) : NONE;
  if (related.length === 0) return null;
  return (
    <div className="gate-findings" role="note">
      {related.map((finding, index) => (
        <div key={`${finding.id}-${index}`} className="gate-finding">
          <strong>
            {finding.id}: {finding.title}
          </strong>
          {finding.remediation ? <span className="muted"> — fix: {finding.remediation.label}</span> : null}
        </div>
      ))}
      <button type="button" className="small" onClick={() => setView('findings')}>
        Open Findings
      </button>
    </div>
  );
}
