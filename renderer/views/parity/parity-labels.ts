import type { CiExpectations } from '../../../shared/parity/ci-expectations';
import type { CiParityStatus } from '../../../shared/parity/ci-vs-local';

/** The status look and word of a parity row: ✓ parity, ⚠ check, ✕ differs. */
// The statuses are StatusBadge's own ('pass' | 'warn' | 'fail'); named here so this file stays free of JSX for the Node-side tests.
export const PARITY_LOOK: Record<CiParityStatus, { status: 'pass' | 'warn' | 'fail'; label: string }> = {
  ok: { status: 'pass', label: 'parity' },
  warn: { status: 'warn', label: 'check' },
  error: { status: 'fail', label: 'differs' },
};

/** Where the CI column comes from, in the words the column header shows. */
export function ciSourceLabel(ci: CiExpectations): string {
  if (ci.source === 'workflow' && ci.files.length > 0) return `from ${ci.files.join(', ')}`;
  return 'from the profile';
}
