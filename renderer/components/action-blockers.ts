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
  if (!s.settings) return null;
  if (s.settings.repoDir.trim() === '') return 'Set the repository folder in Setup first.';
  if (s.prerequisites && s.prerequisites.python === null) return 'Needs a Python interpreter with pytest: choose one in Setup.';
  return null;
}
