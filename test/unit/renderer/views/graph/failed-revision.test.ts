import { describe, expect, it } from 'vitest';
import { failedRevision } from '../../../../../renderer/views/graph/failed-revision';
import type { GateReport } from '../../../../../shared/report/report';

const r4 = (running: string | null, status: GateReport['status'] = 'failed'): GateReport => ({
  id: 'R4',
  status,
  durationMs: 1,
  steps: [
    {
      id: 'upgrade-1',
      title: 'alembic upgrade 202511131121',
      status: status === 'failed' ? 'failed' : 'passed',
      detail: 'x',
      evidence: { ran: [], error: { running } },
    },
  ],
});

describe('failedRevision', () => {
  it('names the revision Alembic was running, also at a merge', () => {
    expect(failedRevision(r4('Running upgrade 202511131120 -> 202511131121, Add GRANTs for application roles'))).toBe('202511131121');
    expect(failedRevision(r4('Running upgrade 202511131121, 202512151300 -> 202512151400, Merge skeldir_foundation'))).toBe('202512151400');
    expect(failedRevision(r4('Running upgrade  -> baseline, Schema Foundation Baseline'))).toBe('baseline');
  });

  it('is null when R4 passed, did not run, or the evidence has no running line', () => {
    expect(failedRevision(r4('Running upgrade a -> b', 'passed'))).toBeNull();
    expect(failedRevision(null)).toBeNull();
    expect(failedRevision(r4(null))).toBeNull();
  });
});
