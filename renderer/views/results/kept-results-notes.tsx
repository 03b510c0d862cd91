import type { ReactNode } from 'react';
import { commandLabel } from '../../components/command-label';
import { formatDateTime } from '../../components/format';

/**
 * The words for test results kept from an earlier run, shared by Test results and Parity's
 * "Test execution" line, so both views say the same thing about the same R5.
 */

/** "The database changed after these tests ran: bootstrap at …" and how to get results for the database as it is now. */
export function DatabaseChangedNote({ changed, testId, rerun }: { changed: { command: string; startedAt: string }; testId: string; rerun: ReactNode }) {
  return (
    <p className="provenance provenance-other small-text" data-testid={testId} role="status">
      <strong>The database changed after these tests ran:</strong> {commandLabel(changed.command)} at {formatDateTime(changed.startedAt)}. {rerun}
    </p>
  );
}
