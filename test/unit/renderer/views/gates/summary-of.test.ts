import { describe, expect, it } from 'vitest';
import type { GateReport, RunReport } from '../../../../../shared/report/report';
import { summaryOf } from '../../../../../renderer/views/gates/summary-of';

function report(statuses: Array<[GateReport['id'], GateReport['status']]>, cancelled?: boolean): RunReport {
  return {
    command: 'rebuild',
    startedAt: '2026-12-07T18:00:00.000Z',
    server: { host: '127.0.0.1', port: 5432, version: '15.18', major: 15, embedded: true },
    gates: statuses.map(([id, status]) => ({ id, status, durationMs: 1, steps: [] })),
    findings: [],
    database: null,
    ...(cancelled ? { cancelled } : {}),
  };
}

describe('summaryOf', () => {
  it('counts the gates of a run that ended by itself', () => {
    const ended = summaryOf(
      report([
        ['E1', 'passed'],
        ['E2', 'passed'],
        ['E3', 'passed'],
        ['R4', 'failed'],
        ['VERIFY', 'blocked'],
        ['R5', 'blocked'],
      ]),
    );
    expect(ended).toEqual({ text: 'Rebuild finished: 3 passed, 1 failed, 2 blocked.', firstFailed: 'R4', cancelled: false });
  });

  it('says a cancelled run was cancelled, and where, rather than counting a failure', () => {
    const cancelled = summaryOf(
      report(
        [
          ['E1', 'passed'],
          ['E2', 'passed'],
          ['E3', 'passed'],
          ['R4', 'failed'],
          ['VERIFY', 'blocked'],
        ],
        true,
      ),
    );
    expect(cancelled).toEqual({ text: 'Rebuild cancelled; stopped in R4 after 3 passed.', firstFailed: 'R4', cancelled: true });
  });
});
