import { GATE_IDS, type GateId } from '../../../shared/report/gates';
import type { RunReport } from '../../../shared/report/report';
import { commandLabel } from '../../components/command-label';

/**
 * The counts a finished run ends with, in the app's one vocabulary (passed / failed /
 * blocked / skipped), and the errors its findings name: a diagnosis passes when it could
 * read everything, which is no reason to sound as if all is well.
 */
export function summaryOf(report: RunReport): { text: string; firstFailed: GateId | null; cancelled: boolean; problems: number } {
  const count = (status: string) => report.gates.filter((g) => g.status === status).length;
  const parts = (['passed', 'failed', 'blocked', 'skipped'] as const).map((s) => [s, count(s)] as const).filter(([, n]) => n > 0);
  const order = (id: GateId) => GATE_IDS.indexOf(id);
  const failed = report.gates.filter((g) => g.status === 'failed').sort((a, b) => order(a.id) - order(b.id));
  const what = commandLabel(report.command);
  const capitalised = `${what.charAt(0).toUpperCase()}${what.slice(1)}`;
  const problems = report.findings.filter((finding) => finding.severity === 'error').length;
  if (report.cancelled) {
    // The gate the cancel stopped is no failure of the user's setup: named as what it is.
    const stopped = failed[0] ? `; stopped in ${failed[0].id}` : '';
    const ran = count('passed');
    return { text: `${capitalised} cancelled${stopped}${ran ? ` after ${ran} passed` : ''}.`, firstFailed: failed[0]?.id ?? null, cancelled: true, problems };
  }
  // "1 gate passed", not "1 passed": beside a list of checks, a bare count reads as checks.
  const words = parts.map(([s, n], i) => (i === 0 ? `${n} gate${n === 1 ? '' : 's'} ${s}` : `${n} ${s}`)).join(', ');
  const found = problems > 0 ? `; ${problems} problem${problems === 1 ? '' : 's'} found (see Findings)` : '';
  return { text: `${capitalised} finished: ${words || 'no gates ran'}${found}.`, firstFailed: failed[0]?.id ?? null, cancelled: false, problems };
}
