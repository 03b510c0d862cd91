import { ErrorBox, Spinner } from '../../components/feedback';
import { useApp } from '../../state/store-context';
import { PrerequisiteLines } from './prerequisite-lines';

/** The interpreter the engine found, its packages, and the fix commands. */
export function InterpreterStatus() {
  const report = useApp((s) => s.prerequisites);
  const load = useApp((s) => s.prerequisitesLoad);
  const recheck = useApp((s) => s.checkPrerequisites);
  if (load.status === 'loading' && !report) return <Spinner label="Looking for Python…" />;
  if (load.status === 'error' && load.error) return <ErrorBox error={load.error} />;
  if (!report) return <p className="muted">Save the settings to look for the interpreter.</p>;
  // One ✓/✗ chip per package keeps five passing lines from pushing the form down; failures still get their fix.
  const packages = report.checks.filter((c) => c.id.startsWith('package-'));
  const checks = report.checks.filter((c) => c.id !== 'alembic-ini' && !c.id.startsWith('package-'));
  const missing = packages.filter((c) => !c.ok);
  return (
    <div className="interpreter-status">
      {report.python ? (
        <dl className="facts">
          <dt>Detected</dt>
          <dd className="mono">{[report.python.command, ...report.python.launcherArgs].join(' ')}</dd>
          <dt>Version</dt>
          <dd>{report.python.version ?? 'unknown'}</dd>
        </dl>
      ) : null}
      <PrerequisiteLines checks={checks} />
      {packages.length > 0 ? (
        <div className="package-line" data-testid="packages">
          <span className="package-label">Packages</span>
          {packages.map((c) => (
            <span key={c.id} className={`chip ${c.ok ? 'ok' : 'bad'}`} data-ok={c.ok}>
              {c.ok ? '✓' : '✗'} {c.id.slice('package-'.length)}
            </span>
          ))}
        </div>
      ) : null}
      {missing.length > 0 ? (
        <PrerequisiteLines
          checks={[
            {
              id: 'packages',
              title: `Missing: ${missing.map((c) => c.id.slice('package-'.length)).join(', ')}`,
              ok: false,
              detail: missing[0].detail,
              fix: missing[0].fix,
            },
          ]}
        />
      ) : null}
      <button type="button" className="ghost small" onClick={() => void recheck()} disabled={load.status === 'loading'}>
        {load.status === 'loading' ? 'Checking…' : 'Check again'}
      </button>
    </div>
  );
}

/** Whether the repository folder holds alembic.ini (from the same prerequisite report). */
export function RepoStatus({ dirty }: { dirty: boolean }) {
  const report = useApp((s) => s.prerequisites);
  const load = useApp((s) => s.prerequisitesLoad);
  const repoDir = useApp((s) => s.settings?.repoDir ?? '');
  if (dirty) return <span className="muted">Save to use this folder (and to check that its alembic.ini reads DATABASE_URL).</span>;
  if (!repoDir) return <span className="muted">Not set: the graph, migrations and tests need it.</span>;
  if (load.status === 'loading') return <Spinner label="Checking the folder…" />;
  const check = report?.checks.find((c) => c.id === 'alembic-ini');
  if (!check) return null;
  return <PrerequisiteLines checks={[{ ...check, title: check.ok ? 'alembic.ini found' : 'alembic.ini not usable' }]} />;
}
