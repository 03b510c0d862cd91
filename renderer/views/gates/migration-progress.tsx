import { useApp } from '../../state/store-context';

/** R4's "revision k of n" bar with the revision being applied. */
export function MigrationProgress() {
  const progress = useApp((s) => s.progress);
  // A bundle is a still picture: the live bar belongs to this machine's job.
  const running = useApp((s) => s.gates.R4.status === 'running' && s.viewing === null);
  if (!progress || !running) return null;
  const percent = progress.total > 0 ? Math.round((progress.current / progress.total) * 100) : 0;
  return (
    <div className="migration-progress" data-testid="r4-progress">
      <div className="progress-text">
        <strong>
          Revision {progress.current} of {progress.total}
        </strong>
        <span className="muted"> — {progress.label}</span>
      </div>
      <progress max={progress.total} value={progress.current} aria-label={`Revision ${progress.current} of ${progress.total}`}>
        {percent}%
      </progress>
    </div>
  );
}
