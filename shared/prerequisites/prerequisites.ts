/**
 * The `flutter doctor` of the backend: each prerequisite as a ✓/✗ line with the
 * exact command that fixes it.
 */
export type PythonSource = 'flag' | 'env' | 'repo-venv' | 'py-launcher' | 'path';

export interface PythonInfo {
  /** The command to run (an absolute path, or "py" with launcherArgs ["-3"]). */
  command: string;
  launcherArgs: string[];
  source: PythonSource;
  /** "3.11.7"; null when the interpreter did not answer. */
  version: string | null;
  /** Module name → importable. */
  packages: Record<string, boolean>;
}

export interface PrerequisiteCheck {
  id: string;
  title: string;
  ok: boolean;
  detail: string;
  /** The exact command (or action) that fixes a failed check. */
  fix?: string;
}

export interface PrerequisiteReport {
  python: PythonInfo | null;
  checks: PrerequisiteCheck[];
  ok: boolean;
}

/** Why Alembic cannot run with this report's interpreter, one clause per failed check with its fix; null when it can. */
export function alembicBlockers(report: PrerequisiteReport | null): string | null {
  if (report?.python && report.ok) return null;
  const failed = (report?.checks ?? []).filter((check) => !check.ok);
  return failed.map((check) => `${check.title}: ${check.detail}${check.fix ? ` \u2192 ${check.fix}` : ''}`).join('; ') || 'no Python interpreter was found';
}
