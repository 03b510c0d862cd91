import { isBlocking } from '../../shared/prerequisites/prerequisites';
import type { AppState } from '../state/types';

/**
 * Why an action cannot work yet, in words the button shows beside itself; null when it
 * can. Only what the app already knows counts: an interpreter not yet looked for is
 * not a reason (detection may still find one).
 */
export function rebuildBlocker(s: AppState): string | null {
  if (!s.settings) return null;
  if (s.settings.repoDir.trim() === '') return 'Set the repository folder in Setup first.';
  return null;
}

export function validateBlocker(s: AppState): string | null {
  const noRepository = rebuildBlocker(s);
  if (noRepository) return noRepository;
  if (s.prerequisites && s.prerequisites.python === null) return 'Needs a Python interpreter with pytest: choose one in Setup.';
  return null;
}

/**
 * What the last check of the interpreter says will stop R4, in a few words for the Rebuild
 * dialog (Setup lists each line with its fix); null when nothing known stops it or the
 * interpreter was not checked yet.
 */
export function migrationBlocker(s: AppState): string | null {
  const report = s.prerequisites;
  if (!report) return null;
  if (report.python === null) return 'no Python interpreter was found';
  const failed = report.checks.filter((check) => isBlocking(check) && check.neededBy !== 'tests');
  return failed.length ? failed.map((check) => check.title).join(', ') : null;
}
