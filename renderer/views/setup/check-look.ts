import type { PrerequisiteCheck } from '../../../shared/prerequisites/prerequisites';

/**
 * How a prerequisite line looks: ✓, ✗ (blocks Alembic, or only the tests), or ⚠ for a
 * requirement nothing of the rebuild imports; a failed line shows its fix command either way.
 */
export interface CheckLook {
  /** The list item's class. */
  tone: 'ok' | 'bad' | 'warn';
  status: 'passed' | 'failed' | 'warning';
  /** data-level, for tests and styles. */
  level: 'ok' | 'error' | 'warning';
  /** Words for screen readers. */
  words: string;
  /** A note after the title, when the line blocks only the validation tests. */
  note: string | null;
  fix: string | null;
}

export function checkLook(check: PrerequisiteCheck): CheckLook {
  if (check.ok) return { tone: 'ok', status: 'passed', level: 'ok', words: 'ok', note: null, fix: null };
  const fix = check.fix ?? null;
  if (check.level === 'warning') return { tone: 'warn', status: 'warning', level: 'warning', words: 'warning', note: null, fix };
  return { tone: 'bad', status: 'failed', level: 'error', words: 'problem', note: check.neededBy === 'tests' ? '(blocks the validation tests)' : null, fix };
}
