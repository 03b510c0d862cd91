import { validateBlocker } from '../../components/action-blockers';
import { EmptyState } from '../../components/feedback';
import { formatDuration } from '../../components/format';
import { StatusBadge, StatusIcon, type AnyStatus } from '../../components/status';
import { actionsLocked, shownGate, shownLastChange, shownReport, shownValidation, shownValidationRun } from '../../state/shown';
import { useApp } from '../../state/store-context';
import { ProvenanceLine, useBelonging } from './provenance-line';
import { changedAfter, notThisTitle } from '../../state/provenance';
import { DatabaseChangedNote } from './kept-results-notes';
import { suiteResults, type SuiteView, type TestCaseView } from './suite-results';

/** R5 per suite and per test; failures open to their full text. */
export function ResultsView() {
  const live = useApp((s) => {
    const r5 = shownGate('R5')(s).report;
    return r5 && r5.details ? r5 : null;
  });
  const last = useApp(shownValidation);
  const running = useApp((s) => shownGate('R5')(s).status === 'running');
  const busy = useApp(actionsLocked);
  const blocked = useApp(validateBlocker);
  const startJob = useApp((s) => s.startJob);
  const jobRunning = useApp((s) => !s.viewing && s.job !== null);
  const lastReport = useApp(shownReport);
  const lastChange = useApp(shownLastChange);
  const lastRun = useApp(shownValidationRun);
  // The R5 on the gate rail is the last job's (or the running one's, which is Setup's repository).
  const provenance = live ? (jobRunning ? null : lastReport?.provenance) : lastRun;
  const belongs = useBelonging(provenance);
  const elsewhere = belongs.kind === 'other' ? belongs.why : null;
  const gate = elsewhere ? null : (live ?? last);
  const suites = suiteResults(gate);
  // Results kept from an earlier run (this run's R5 did not run): a later rebuild or restore may have replaced what they tested.
  const changed = live ? null : changedAfter(provenance, lastChange);

  return (
    <div className="view results-view">
      <div className="view-head">
        <h1>Test results</h1>
        <p className="muted">
          {gate
            ? `R5 ${gate.status} in ${formatDuration(gate.durationMs)}.`
            : 'The guide’s behavioural tests (R5), run with pytest against the rebuilt database.'}
          {running ? ' Running now…' : ''}
        </p>
        <button
          type="button"
          onClick={() => void startJob({ kind: 'validate' })}
          disabled={busy || blocked !== null}
          aria-describedby={blocked && !busy ? 'validate-reason' : undefined}
        >
          Run the validation tests
        </button>
        {blocked && !busy ? (
          <span className="disabled-reason" id="validate-reason" data-testid="validate-reason">
            {blocked}
          </span>
        ) : null}
      </div>
      <ProvenanceLine what="Test results" provenance={provenance} />
      {changed && !running && !elsewhere && suites.length > 0 ? (
        <DatabaseChangedNote changed={changed} testId="results-stale" rerun="“Run the validation tests” gives results for it as it is now." />
      ) : null}
      {elsewhere && !running ? (
        <EmptyState title={notThisTitle(elsewhere)}>
          The validation tests have not run {elsewhere === 'repository' ? 'for the repository Setup names' : 'against the server Setup connects to'}; “Run the
          validation tests” (or Rebuild) runs them.
        </EmptyState>
      ) : suites.length === 0 ? (
        <EmptyState title={running ? 'The tests are running…' : 'No test results yet'}>
          Rebuild runs them as gate R5; “Run the validation tests” runs only them.
        </EmptyState>
      ) : (
        suites.map((suite) => <Suite key={suite.suite} suite={suite} />)
      )}
    </div>
  );
}

function suiteStatus(suite: SuiteView): AnyStatus {
  if (suite.outcome === 'passed') return 'passed';
  if (suite.outcome === 'skipped' || suite.outcome === 'not-run') return 'skipped';
  return 'failed';
}

function Suite({ suite }: { suite: SuiteView }) {
  // The first failure opens to its text; the others open on a click (four tracebacks are tens of kB to scroll past).
  const firstFailure = suite.cases.find((c) => c.status === 'failed' || c.status === 'error');
  return (
    <section className="suite card" aria-label={suite.suite} data-testid="suite">
      <header className="suite-head">
        <StatusBadge status={suiteStatus(suite)} label={suite.outcome} />
        <h2 className="mono">{suite.suite}</h2>
        <span className="muted">
          {suite.passed} passed · {suite.failed} failed · {suite.errors} errors · {suite.skipped} skipped · {formatDuration(suite.durationMs)}
        </span>
      </header>
      {suite.cases.length === 0 ? (
        <>
          <p>{suite.detail}</p>
          {suite.outputTail.length ? <pre className="test-text">{suite.outputTail.join('\n')}</pre> : null}
        </>
      ) : (
        <ul className="case-list">
          {suite.cases.map((c) => (
            <Case key={`${c.classname}.${c.name}`} testCase={c} open={c === firstFailure} />
          ))}
        </ul>
      )}
    </section>
  );
}

function Case({ testCase, open }: { testCase: TestCaseView; open: boolean }) {
  const status: AnyStatus = testCase.status === 'error' ? 'failed' : testCase.status;
  const head = (
    <>
      <StatusIcon status={status} />
      <span className="case-name mono">{testCase.name}</span>
      <span className="muted case-class">{testCase.classname}</span>
      <span className="muted case-duration">{formatDuration(testCase.durationMs)}</span>
    </>
  );
  if (testCase.status === 'passed' || (!testCase.message && !testCase.text)) {
    return (
      <li className={`case status-${testCase.status}`} data-status={testCase.status}>
        <div className="case-head">{head}</div>
      </li>
    );
  }
  return (
    <li className={`case status-${testCase.status}`} data-status={testCase.status}>
      <details open={open}>
        <summary className="case-head">{head}</summary>
        {testCase.message ? <p className="case-message">{testCase.message}</p> : null}
        {testCase.text ? <pre className="test-text">{testCase.text}</pre> : null}
      </details>
    </li>
  );
}
