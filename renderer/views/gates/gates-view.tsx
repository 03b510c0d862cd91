import { GATE_TITLES } from '../../../shared/report/gates';
import { rebuildBlocker } from '../../components/action-blockers';
import { commandLabel } from '../../components/command-label';
import { formatTime } from '../../components/format';
import { EmptyState } from '../../components/feedback';
import { actionsLocked } from '../../state/shown';
import { useApp } from '../../state/store-context';
import { GateFindings } from './gate-findings';
import { GateRail } from './gate-rail';
import { LogPane } from './log-pane';
import { MigrationProgress } from './migration-progress';
import { RunNotes } from './run-notes';
import { RunSummary } from './run-summary';
import { StepList } from './step-list';

/** The pipeline as the guide draws it, with the selected gate's steps and log. */
export function GatesView() {
  const selected = useApp((s) => s.selectedGate);
  const anyRun = useApp((s) => s.viewing !== null || s.job !== null || s.lastReport !== null || Object.values(s.gates).some((g) => g.inRun));
  const locked = useApp(actionsLocked);
  const viewing = useApp((s) => s.viewing);
  const viewingRun = viewing ? { fromLastRun: viewing.bundle.lastRun !== null, command: viewing.report.command, startedAt: viewing.report.startedAt } : null;
  const startJob = useApp((s) => s.startJob);
  const openRebuild = useApp((s) => s.openRebuildDialog);
  const ready = useApp((s) => s.settings !== null);
  const blocked = useApp(rebuildBlocker);

  return (
    <div className="view gates-view">
      <div className="view-head">
        <h1>Gates</h1>
        <p className="muted">
          {viewingRun
            ? `From the diagnosis file: ${viewingRun.fromLastRun ? `the last run before it was saved (${commandLabel(viewingRun.command)}, ${formatTime(viewingRun.startedAt)})` : 'the read-only diagnosis made for it'}.`
            : "E1 diagnosis → E2–E3 bootstrap → R4 migrations → VERIFY → R5 validation, the guide's gates in order."}
        </p>
      </div>
      <GateRail />
      <RunSummary />
      <RunNotes />
      {!anyRun ? (
        <EmptyState
          title="Nothing has run yet"
          action={
            <div className="button-row">
              <button type="button" onClick={() => void startJob({ kind: 'diagnose' })} disabled={!ready || locked}>
                Diagnose
              </button>
              <button
                type="button"
                className="primary"
                onClick={openRebuild}
                disabled={!ready || locked || blocked !== null}
                aria-describedby={blocked ? 'gates-rebuild-reason' : undefined}
              >
                Rebuild…
              </button>
              {blocked ? (
                <span className="disabled-reason" id="gates-rebuild-reason">
                  {blocked}
                </span>
              ) : null}
            </div>
          }
        >
          Diagnose reads the server, roles, database, tables and migration state without changing anything. Rebuild runs every gate.
        </EmptyState>
      ) : (
        <div className="gate-detail">
          <section className="gate-steps" aria-label={`${selected} steps`}>
            <div className="pane-title">
              <span>
                {selected} · {GATE_TITLES[selected]}
              </span>
            </div>
            {selected === 'R4' ? <MigrationProgress /> : null}
            <GateFindings gate={selected} />
            <StepList gate={selected} />
          </section>
          <LogPane gate={selected} />
        </div>
      )}
    </div>
  );
}
