import type { UserAction } from '../errors/user-action';
/**
 * The `flutter doctor` of the backend: each prerequisite as a ✓/✗ line with the
 * exact command that fixes it.
 */
export type PythonSource = 'flag' | 'env' | 'repo-venv' | 'active-venv' | 'py-launcher' | 'path';

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

/** What the interpreter's probe says about drivers, marker values and installed distributions. */
export interface PythonEnvironment {
  /** Database driver module → importable (found without importing it). */
  drivers: Record<string, boolean>;
  /** PEP 508 marker values of this interpreter (sys_platform, python_version …). */
  markers: Record<string, string>;
  /** Installed distributions by PEP 503 normalized name. */
  distributions: Record<string, { name: string; version: string; requires: string[]; modules: string[] }>;
}

export interface PrerequisiteCheck {
  id: string;
  title: string;
  ok: boolean;
  detail: string;
  /** The exact command (or action, in no front's words) that fixes a failed check. */
  fix?: string;
  /** The fix as an action each front names its own way (a CLI flag, a Setup field). */
  action?: UserAction;
  /**
   * A failed check that blocks nothing: a requirement no code of the rebuild imports
   * (dev tooling). Shown as a warning; the report stays ok.
   */
  level?: 'warning';
  /** A failed check that only the tests need: it blocks R5, not Alembic. */
  neededBy?: 'tests';
}

export interface PrerequisiteReport {
  python: PythonInfo | null;
  checks: PrerequisiteCheck[];
  ok: boolean;
}

/** Whether a failed check stops anything (warnings never do). */
export function isBlocking(check: PrerequisiteCheck): boolean {
  return !check.ok && check.level !== 'warning';
}

/** The report's ok: every check passed, or failed only as a warning. */
export function prerequisitesOk(checks: PrerequisiteCheck[]): boolean {
  return !checks.some(isBlocking);
}

/** Why Alembic cannot run with this report's interpreter, one clause per failed check with its fix; null when it can. */
export function alembicBlockers(report: PrerequisiteReport | null): string | null {
  const failed = (report?.checks ?? []).filter((check) => isBlocking(check) && check.neededBy !== 'tests');
  if (report?.python && failed.length === 0) return null;
  return describeBlockers(failed);
}

/** Why the suites cannot run (R5): every blocking check, Alembic's and the tests' own; null when they can. */
export function testBlockers(report: PrerequisiteReport | null): string | null {
  const failed = (report?.checks ?? []).filter(isBlocking);
  if (report?.python && failed.length === 0) return null;
  return describeBlockers(failed);
}

function describeBlockers(failed: PrerequisiteCheck[]): string {
  return failed.map((check) => `${check.title}: ${check.detail}${check.fix ? ` \u2192 ${check.fix}` : ''}`).join('; ') || 'no Python interpreter was found';
}
