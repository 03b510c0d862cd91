import { useEffect, useRef } from 'react';
import { GATE_IDS, type GateId } from '../../../shared/report/gates';
import type { RunReport } from '../../../shared/report/report';
import { commandLabel } from '../../components/command-label';
import { shownReport } from '../../state/shown';
import { useApp } from '../../state/store-context';

/** The counts a finished run ends with, in the app's one vocabulary (passed / failed / blocked / skipped). */
export function summaryOf(report: RunReport): { text: string; firstFailed: GateId | null } {
  const count = (status: string) => report.gates.filter((g) => g.status === status).length;
  const parts = (['passed', 'failed', 'blocked', 'skipped'] as const).map((s) => [s, count(s)] as const).filter(([, n]) => n > 0);
  const order = (id: GateId) => GATE_IDS.indexOf(id);
  const failed = report.gates.filter((g) => g.status === 'failed').sort((a, b) => order(a.id) - order(b.id));
  const words = parts.map(([s, n]) => `${n} ${s}`).join(', ');
  const what = commandLabel(report.command);
  return { text: `${what.charAt(0).toUpperCase()}${what.slice(1)} finished: ${words || 'no gates ran'}.`, firstFailed: failed[0]?.id ?? null };
}

/**
 * One line that says how the last run ended. When a run this window watched ends, the
 * rail selects the first failed gate and focus moves here, so keyboard and screen-reader
 * users land on the outcome instead of on <body>.
 */
export function RunSummary() {
  const report = useApp(shownReport);
  const running = useApp((s) => s.job !== null && s.viewing === null);
  const select = useApp((s) => s.selectGate);
  const ref = useRef<HTMLParagraphElement>(null);
  const wasRunning = useRef(running);

  useEffect(() => {
    const ended = wasRunning.current && !running;
    wasRunning.current = running;
    if (!ended || !report) return;
    const { firstFailed } = summaryOf(report);
    if (firstFailed) select(firstFailed);
    ref.current?.focus();
  }, [running, report, select]);

  if (!report || running) return null;
  const { text, firstFailed } = summaryOf(report);
  return (
    <p ref={ref} className={`run-summary ${firstFailed ? 'tone-bad' : 'tone-ok'}`} tabIndex={-1} data-testid="run-summary">
      {text}
    </p>
  );
}
