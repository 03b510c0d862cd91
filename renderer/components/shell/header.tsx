import { actionsLocked } from '../../state/shown';
import { useApp } from '../../state/store-context';
import { rebuildBlocker } from '../action-blockers';
import { JobStatus } from './job-status';
import { ServerStatusChip } from './server-status';

/** Profile, database, server, and the three actions that are always in reach. */
export function Header() {
  const profileName = useApp((s) => s.settings?.profileName ?? '');
  const databaseName = useApp((s) => s.settings?.databaseName ?? '');
  const running = useApp((s) => s.job !== null);
  const cancelling = useApp((s) => s.job?.cancelling ?? false);
  const startJob = useApp((s) => s.startJob);
  const cancelJob = useApp((s) => s.cancelJob);
  const openRebuild = useApp((s) => s.openRebuildDialog);
  const setView = useApp((s) => s.setView);
  const ready = useApp((s) => s.settings !== null);
  const locked = useApp(actionsLocked);
  const blocked = useApp(rebuildBlocker);

  const diagnose = () => {
    setView('gates');
    void startJob({ kind: 'diagnose' });
  };

  return (
    <header className="header">
      <div className="header-context">
        <div className="profile-name" title="Active profile">
          {profileName || 'No profile loaded'}
        </div>
        <div className="header-facts">
          <span className="chip" title="Database the profile rebuilds">
            <span className="chip-key">database</span> {databaseName || '—'}
          </span>
          <ServerStatusChip />
        </div>
      </div>
      <div className="header-actions">
        <JobStatus />
        <button
          type="button"
          onClick={diagnose}
          disabled={locked || !ready}
          title="Read-only: reads the server, roles, database, tables and migration state (E1)"
        >
          Diagnose
        </button>
        {blocked && !locked ? (
          <span className="disabled-reason" id="header-rebuild-reason" data-testid="rebuild-reason">
            {blocked}
          </span>
        ) : null}
        <button
          type="button"
          className="primary"
          onClick={openRebuild}
          disabled={locked || !ready || blocked !== null}
          aria-describedby={blocked && !locked ? 'header-rebuild-reason' : undefined}
          title="Runs every gate: E1 → E2–E3 → R4 → VERIFY → R5"
        >
          Rebuild…
        </button>
        <button type="button" className="danger-outline" onClick={() => void cancelJob()} disabled={!running || cancelling}>
          Cancel
        </button>
      </div>
    </header>
  );
}
