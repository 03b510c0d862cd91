import type { CiExpectations } from '../../../shared/parity/ci-expectations';
import type { CiParityStatus } from '../../../shared/parity/ci-vs-local';

/** The status look and word of a parity row: ✓ parity, ⚠ check, ✕ differs. */
// The statuses are StatusBadge's own ('pass' | 'warn' | 'fail'); named here so this file stays free of JSX for the Node-side tests.
export const PARITY_LOOK: Record<CiParityStatus, { status: 'pass' | 'warn' | 'fail'; label: string }> = {
  ok: { status: 'pass', label: 'parity' },
  warn: { status: 'warn', label: 'check' },
  error: { status: 'fail', label: 'differs' },
};

/**
 * Where the CI column comes from, in the words the column header shows. Several files
 * are counted, not listed: a repository with nine workflows would otherwise widen the
 * column past a small window (the list is under "How CI was read").
 */
export function ciSourceLabel(ci: CiExpectations): string {
  if (ci.source !== 'workflow' || ci.files.length === 0) return 'from the profile';
  return ci.files.length === 1 ? `from ${ci.files[0]}` : `from ${ci.files.length} workflow files`;
}
