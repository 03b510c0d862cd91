import type { ConnectionSettings } from '../../../shared/contract/connection';
import type { EmitEvent } from '../../../shared/contract/events';
import { ok, type Result } from '../../../shared/errors/app-error';
import type { Profile } from '../../../shared/profile/schema';
import type { RunReport } from '../../../shared/report/report';
import { runPipeline } from './run-pipeline';
import { withDestructiveLock } from '../safety/destructive-lock';
import { restoreSnapshot } from '../gates/snapshots/safety-snapshots';

/**
 * Restore as both fronts do it, after their own confirmation and the destructive-operation
 * guard, under the rebuild lock: the snapshot is put back, then bootstrap re-applies the database grants and
 * settings that a copy does not carry (idempotently; every other step says "already").
 */
/** The repository and interpreter of the run's diagnosis, as Setup (or the CLI's flags) name them. */
export interface RestoreProject {
  repoDir?: string;
  pythonFlag?: string;
}

export async function restoreAndReapply(
  settings: ConnectionSettings,
  profile: Profile,
  name: string,
  emit: EmitEvent,
  // Without it the diagnosis after the restore could not place the database in the migration graph.
  project: RestoreProject = {},
  // A cancel (Ctrl-C, the app closing): honoured until the database being replaced is dropped, see restoreSnapshot.
  signal?: AbortSignal,
): Promise<Result<{ restored: string; previous: string | null; report: RunReport }>> {
  // Under the rebuild lock, held across both parts: no rebuild, prune or other restore may
  // touch the database or the snapshot meanwhile.
  const locked = await withDestructiveLock({ command: `restore ${name}`, settings, database: profile.database.name }, async () => {
    const restored = await restoreSnapshot(settings, profile, name, signal);
    if (!restored.ok) return restored;
    // Not given the signal: a restored database without its grants and settings would be half-made.
    const report = await runPipeline(
      {
        command: 'restore',
        gates: ['E1', 'E2', 'E3'],
        settings,
        profile,
        ...project,
        bootstrap: { dropExisting: false, confirmed: false, allowRemote: false },
      },
      emit,
    );
    report.restored = restored.value;
    return ok({ ...restored.value, report });
  });
  return locked.ok ? locked.value : locked;
}
