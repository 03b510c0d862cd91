import { useEffect, useRef } from 'react';
import { shownReport } from '../../state/shown';
import { useApp } from '../../state/store-context';
import { summaryOf } from './summary-of';

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
  const { text, firstFailed, cancelled, problems } = summaryOf(report);
  const tone = cancelled ? 'tone-muted' : firstFailed ? 'tone-bad' : problems > 0 ? 'tone-warn' : 'tone-ok';
  return (
    <p ref={ref} className={`run-summary ${tone}`} tabIndex={-1} data-testid="run-summary">
      {text}
    </p>
  );
}
