import { useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import type { DiagnosticBundle } from '../../../shared/bundle/bundle';
import type { Finding, RunReport } from '../../../shared/report/report';
import { withStepFindings } from '../../../shared/report/step-findings';
import { fixOutcomeLine, type FixOutcome } from '../../../shared/findings/fix-outcome';
import { EmptyState } from '../../components/feedback';
import { commandLabel } from '../../components/command-label';
import { formatDateTime, formatTime, plural } from '../../components/format';
import { actionsLocked, shownFindings, shownReport } from '../../state/shown';
import { useApp } from '../../state/store-context';
import { ProvenanceLine, useBelonging } from '../results/provenance-line';
import { notThisTitle } from '../../state/provenance';
import { bundleFindingsLabel, bundleFindingsList, bundleFindingsLists, type BundleFindingsSource } from './bundle-findings';
import { FindingCard } from './finding-card';

const ORDER: Record<Finding['severity'], number> = { error: 0, warning: 1, info: 2 };

/** What the last run found, worst first, each with its fix. */
export function FindingsView() {
  const storeFindings = useApp(shownFindings);
  const storeReport = useApp(shownReport);
  const viewing = useApp((s) => s.viewing);
  // Which of an opened file's two lists is shown; remembered with its file, so the next file opens on its saved diagnosis.
  const [choice, setChoice] = useState<{ bundle: DiagnosticBundle; source: BundleFindingsSource } | null>(null);
  const list = viewing ? bundleFindingsList(viewing.bundle, choice?.bundle === viewing.bundle ? choice.source : 'saved') : null;
  // An opened file's list comes with its own run: the provenance line and the heading then name the moment of the list shown.
  const findings = list ? list.report.findings : storeFindings;
  const report = list ? list.report : storeReport;
  const locked = useApp(actionsLocked);
  const job = useApp((s) => (s.viewing ? null : s.job));
  const live = useApp((s) => s.liveFindings);
  const startJob = useApp((s) => s.startJob);
  const ready = useApp((s) => s.settings !== null);
  const openSave = useApp((s) => s.openSaveDiagnosisDialog);
  const lastFix = useApp((s) => (s.viewing ? null : s.lastFix));
  const belongs = useBelonging(report?.provenance);
  const elsewhere = belongs.kind === 'other' ? belongs.why : null;
  const sorted = useMemo(() => findingsToShow(report, findings), [findings, report]);
  const remediating = useApp((s) => s.remediating);
  const viewRef = useRef<HTMLDivElement>(null);
  useFocusOnFixEnd(viewRef, remediating, lastFix);
  // A fix that is still there says so in its finding's card; when the card is gone (the fix could not run), the line above the list says it.
  const outcomeInCard = lastFix?.outcome === 'still-there' && sorted.some((f) => f.id === lastFix.findingId);

  return (
    <div className="view findings-view" ref={viewRef}>
      <div className="view-head">
        <h1>Findings</h1>
        <p className="muted">
          {viewing && list
            ? `${bundleFindingsLabel(list, viewing.bundle, formatDateTime, commandLabel)} (${viewing.bundle.profile.name}, database ${viewing.bundle.profile.database}). Fixes are disabled: this is not live.`
            : report
              ? `From the last ${commandLabel(report.command)} (${formatTime(report.startedAt)}).`
              : 'What the diagnosis finds, with the guide’s failure mode and its fix.'}
          {job ? ` A job is running${live.length ? `: ${plural(live.length, 'finding')} so far` : ''}; the list updates when it ends.` : ''}
        </p>
        {viewing ? null : (
          <button
            type="button"
            className="small"
            onClick={openSave}
            disabled={!ready}
            title="A file for support staff: diagnosis, findings, graph, parity, last run — secrets redacted"
          >
            Save diagnosis…
          </button>
        )}
      </div>
      {viewing && list && bundleFindingsLists(viewing.bundle).length > 1 ? (
        <fieldset className="choice findings-source" data-testid="findings-source">
          <legend>The file holds two findings lists</legend>
          {bundleFindingsLists(viewing.bundle).map((option) => (
            <label className="check" key={option.source}>
              <input
                type="radio"
                name="findings-source"
                value={option.source}
                checked={option.source === list.source}
                onChange={() => setChoice({ bundle: viewing.bundle, source: option.source })}
              />
              <span>
                {bundleFindingsLabel(option, viewing.bundle, formatDateTime, commandLabel)}{' '}
                <span className="muted">— {plural(findingsToShow(option.report, option.report.findings).length, 'finding')}</span>
              </span>
            </label>
          ))}
        </fieldset>
      ) : null}
      <ProvenanceLine what="Findings" provenance={report?.provenance} />
      {lastFix && !outcomeInCard ? (
        <p
          className={`fix-outcome ${lastFix.outcome === 'unfinished' || lastFix.outcome === 'still-there' ? 'fix-still-there' : 'fix-gone'}`}
          role="status"
          tabIndex={-1}
          data-testid="fix-outcome"
          data-outcome={lastFix.outcome}
        >
          {fixOutcomeLine(lastFix)}
        </p>
      ) : null}
      {!report && findings.length === 0 ? (
        <EmptyState
          title="No diagnosis yet"
          action={
            <button type="button" className="primary" onClick={() => void startJob({ kind: 'diagnose' })} disabled={locked || !ready}>
              Diagnose
            </button>
          }
        >
          Diagnose reads the database without changing it and lists what is wrong.
        </EmptyState>
      ) : sorted.length === 0 && elsewhere ? (
        <EmptyState
          title={notThisTitle(elsewhere)}
          action={
            <button type="button" className="primary" onClick={() => void startJob({ kind: 'diagnose' })} disabled={locked || !ready}>
              Diagnose
            </button>
          }
        >
          {elsewhere === 'repository'
            ? 'The last diagnosis was made for another repository.'
            : 'The last diagnosis was made against another PostgreSQL server.'}
        </EmptyState>
      ) : sorted.length === 0 ? (
        <EmptyState title="✓ No findings">
          {report?.gates.some((g) => g.id === 'VERIFY' && g.status === 'passed')
            ? 'The database matches the profile.'
            : 'The diagnosis found nothing wrong. The schema checks (VERIFY) were not part of this run: Rebuild runs them.'}
        </EmptyState>
      ) : (
        <div className="finding-list">
          {sorted.map((finding, index) => (
            <FindingCard key={`${finding.id}-${index}`} finding={finding} index={index} />
          ))}
        </div>
      )}
    </div>
  );
}

/**
 * When a fix started here ends, its button has been disabled and is then gone or re-rendered,
 * so focus would fall to <body>: it moves to the fix's outcome line instead (above the list,
 * or in the finding's card when the finding is still there). A fix that never started (its
 * error is in the banner) gives focus back to its button.
 */
function useFocusOnFixEnd(view: RefObject<HTMLDivElement | null>, remediating: string | null, lastFix: FixOutcome | null): void {
  const watched = useRef<{ findingId: string; outcomeBefore: FixOutcome | null } | null>(null);
  useEffect(() => {
    if (remediating) {
      watched.current ??= { findingId: remediating, outcomeBefore: lastFix };
      return;
    }
    const fix = watched.current;
    watched.current = null;
    if (!fix || !view.current) return;
    const target =
      lastFix && lastFix !== fix.outcomeBefore
        ? view.current.querySelector<HTMLElement>('.fix-outcome')
        : view.current.querySelector<HTMLElement>(`[data-fix-button="${CSS.escape(fix.findingId)}"]`);
    target?.focus();
  }, [view, remediating, lastFix]);
}

/**
 * The findings a list shows, worst first. Never "No findings" over a red gate: the engine adds a
 * generic finding for every failed step nothing explains; a report without any error finding (a
 * bundle from an older version) gets them here, from its failed gates.
 */
function findingsToShow(report: RunReport | null, findings: Finding[]): Finding[] {
  const red = report && findings.every((f) => f.severity !== 'error') ? report.gates.filter((g) => g.status === 'failed') : [];
  return withStepFindings(red, findings).sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);
}
