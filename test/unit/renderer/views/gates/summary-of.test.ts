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
    expect(ended).toEqual({ text: 'Rebuild finished: 3 gates passed, 1 failed, 2 blocked.', firstFailed: 'R4', cancelled: false, problems: 0 });
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
    expect(cancelled).toEqual({ text: 'Rebuild cancelled; stopped in R4 after 3 passed.', firstFailed: 'R4', cancelled: true, problems: 0 });
  });

  it('a diagnosis that passed but found errors says how many, and a warning or an info finding is no problem', () => {
    const finding = (id: string, severity: 'error' | 'warning' | 'info') => ({ id, severity, title: id, evidence: '', remediation: null });
    const diagnosis: RunReport = {
      ...report([['E1', 'passed']]),
      command: 'diagnose',
      findings: [
        finding('ROLES-MISSING', 'error'),
        finding('DATABASE-MISSING', 'error'),
        finding('GRAPH-HAZARD', 'warning'),
        finding('HEADS-BEYOND-TARGET', 'info'),
      ],
    };
    expect(summaryOf(diagnosis)).toEqual({
      text: 'Diagnosis finished: 1 gate passed; 2 problems found (see Findings).',
      firstFailed: null,
      cancelled: false,
      problems: 2,
    });
    expect(summaryOf({ ...diagnosis, findings: diagnosis.findings.slice(2) }).text).toBe('Diagnosis finished: 1 gate passed.');
  });
});
