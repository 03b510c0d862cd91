import { describe, expect, it } from 'vitest';
import type { JobEvent } from '../../../../shared/contract/events';
import type { GateReport, RunReport } from '../../../../shared/report/report';
import { NO_RECENT_RUNS, rememberRun } from '../../../../shared/report/recent-runs';
import {
  applyOperationReport,
  applyRecentRuns,
  applyReport,
  beginJob,
  initialRunState,
  MAX_LOG_LINES,
  reduceEvents,
} from '../../../../renderer/state/run-state';

const jobId = 'job-1';
const report = (gates: GateReport[]): RunReport => ({
  command: 'rebuild',
  startedAt: '2025-12-15T14:00:00.000Z',
  server: { host: '127.0.0.1', port: 5432, version: '15.18', major: 15, embedded: true },
  gates,
  findings: [],
  database: null,
});
const gate = (id: GateReport['id'], status: GateReport['status'], steps = 1): GateReport => ({
  id,
  status,
  durationMs: 10,
  steps: Array.from({ length: steps }, (_, i) => ({ id: `s${i}`, title: `step ${i}`, status: 'passed' as const, detail: '' })),
});

describe('reduceEvents', () => {
  it('follows a gate from started through its steps to finished, keeping bootstrap\u2019s [n/8] counter', () => {
    const start = beginJob(initialRunState(), { jobId: null, kind: 'rebuild', startedAt: 0, cancelling: false }, ['E1', 'E2', 'E3']);
    const events: JobEvent[] = [
      { kind: 'gate-started', jobId, gate: 'E3', title: 'Database', totalSteps: 8 },
      { kind: 'step-finished', jobId, gate: 'E3', index: 5, total: 8, step: { id: 'a', title: 'A', status: 'passed', detail: '' } },
      { kind: 'step-finished', jobId, gate: 'E3', index: 8, total: 8, step: { id: 'b', title: 'B', status: 'passed', detail: '' } },
    ];
    const running = reduceEvents(start, events, 1000).state;
    expect(running.job?.jobId).toBe(jobId);
    expect(running.runningGate).toBe('E3');
    expect(running.gates.E3).toMatchObject({ status: 'running', stepIndex: 8, totalSteps: 8, startedAt: 1000 });
    const done = reduceEvents(running, [{ kind: 'gate-finished', jobId, gate: 'E3', report: gate('E3', 'passed', 2) }], 2000).state;
    expect(done.gates.E3).toMatchObject({ status: 'passed', stepIndex: 8, totalSteps: 8, durationMs: 10 });
    expect(done.runningGate).toBeNull();
    expect(done.gates.R4.inRun).toBe(false);
  });

  it('appends log lines per gate in one batch and caps a gate\u2019s log', () => {
    const start = beginJob(initialRunState(), { jobId, kind: 'rebuild', startedAt: 0, cancelling: false }, ['R4']);
    const lines: JobEvent[] = Array.from({ length: MAX_LOG_LINES + 5 }, (_, i) => ({
      kind: 'log-line',
      jobId,
      gate: 'R4',
      stream: 'stdout',
      line: `line ${i}`,
    }));
    const { state } = reduceEvents(start, lines, 0);
    expect(state.logs.R4).toHaveLength(MAX_LOG_LINES);
    expect(state.droppedLines.R4).toBe(5);
    expect(state.logs.R4[0].text).toBe('line 5');
    expect(state.logs.E1).toHaveLength(0);
  });

  it('ignores events of another job and adopts a job it did not start', () => {
    const start = beginJob(initialRunState(), { jobId, kind: 'diagnose', startedAt: 0, cancelling: false }, ['E1']);
    const other = reduceEvents(start, [{ kind: 'gate-started', jobId: 'job-2', gate: 'R4', title: 'x' }], 0).state;
    expect(other.gates.R4.status).toBe('pending');
    const adopted = reduceEvents(initialRunState(), [{ kind: 'gate-started', jobId: 'job-3', gate: 'E1', title: 'x' }], 5).state;
    expect(adopted.job).toMatchObject({ jobId: 'job-3', kind: null, startedAt: 5 });
  });

  it('job-finished applies the report, ends the job and remembers the last R5 that ran', () => {
    const start = beginJob(initialRunState(), { jobId, kind: 'rebuild', startedAt: 0, cancelling: false }, ['E1', 'R5']);
    const r = report([gate('E1', 'passed'), gate('R5', 'passed', 2)]);
    const { state, finished } = reduceEvents(
      start,
      [
        { kind: 'progress', jobId, gate: 'R4', current: 1, total: 2, label: 'x' },
        { kind: 'job-finished', jobId, report: r },
      ],
      0,
    );
    expect(finished).toBe(r);
    expect(state.job).toBeNull();
    expect(state.progress).toBeNull();
    expect(state.lastReport).toBe(r);
    expect(state.lastValidation?.id).toBe('R5');
    const later = applyReport(state, report([gate('E1', 'passed')]));
    expect(later.lastValidation?.id).toBe('R5');
    expect(later.gates.R5.inRun).toBe(true);
  });

  it('remembers the newest run that changed the database across later diagnoses, which change nothing', () => {
    const rebuilt = applyReport(initialRunState(), report([gate('E1', 'passed')]));
    expect(rebuilt.lastChange).toEqual({ command: 'rebuild', startedAt: '2025-12-15T14:00:00.000Z' });
    const diagnosed = applyReport(rebuilt, { ...report([gate('E1', 'passed')]), command: 'diagnose', startedAt: '2025-12-15T15:00:00.000Z' });
    expect(diagnosed.lastReport?.command).toBe('diagnose');
    expect(diagnosed.lastChange).toEqual({ command: 'rebuild', startedAt: '2025-12-15T14:00:00.000Z' });
    const fixed = applyReport(diagnosed, { ...report([gate('E1', 'passed')]), command: 'fix GUC-MISSING', startedAt: '2025-12-15T16:00:00.000Z' });
    expect(fixed.lastChange).toEqual({ command: 'fix GUC-MISSING', startedAt: '2025-12-15T16:00:00.000Z' });
  });

  it('a reloaded window gets back what the engine remembers: the last run on the rail, the earlier tests, the run that changed the database', () => {
    const rebuild = {
      ...report([gate('E1', 'passed'), gate('R5', 'passed', 2)]),
      provenance: { repoDir: '/repo', commit: null, branch: null, command: 'rebuild', startedAt: '2025-12-15T14:00:00.000Z' },
    };
    const restore = {
      ...report([gate('E1', 'passed'), gate('E2', 'passed'), gate('E3', 'passed')]),
      command: 'restore',
      startedAt: '2025-12-15T15:00:00.000Z',
    };
    const diagnose = { ...report([gate('E1', 'passed')]), command: 'diagnose', startedAt: '2025-12-15T16:00:00.000Z' };
    const remembered = [rebuild, restore, diagnose].reduce(rememberRun, NO_RECENT_RUNS);
    const reloaded = applyRecentRuns(initialRunState(), remembered);
    expect(reloaded.lastReport?.command).toBe('diagnose');
    expect(reloaded.gates.E1.status).toBe('passed');
    expect(reloaded.gates.R5.status).toBe('pending');
    expect(reloaded.lastValidation?.id).toBe('R5');
    expect(reloaded.lastValidationRun?.startedAt).toBe('2025-12-15T14:00:00.000Z');
    expect(reloaded.lastChange).toEqual({ command: 'restore', startedAt: '2025-12-15T15:00:00.000Z' });
    // The same as a window that saw every run itself.
    const seen = [rebuild, restore, diagnose].reduce(
      (state, r) => (r.command === 'restore' ? applyOperationReport(state, r) : applyReport(state, r)),
      initialRunState(),
    );
    expect({ ...reloaded, gates: null }).toEqual({ ...seen, gates: null });
  });

  it('a restore\u2019s report replaces the whole rail: the gates it did not run are no longer the earlier rebuild\u2019s', () => {
    const start = beginJob(initialRunState(), { jobId, kind: 'rebuild', startedAt: 0, cancelling: false }, ['E1', 'R4', 'R5']);
    const rebuilt = reduceEvents(
      start,
      [{ kind: 'job-finished', jobId, report: report([gate('E1', 'passed'), gate('R4', 'passed'), gate('R5', 'passed', 2)]) }],
      0,
    ).state;
    const restored = applyOperationReport(rebuilt, { ...report([gate('E1', 'passed'), gate('E2', 'passed'), gate('E3', 'passed')]), command: 'restore' });
    expect(restored.gates.R4).toMatchObject({ status: 'pending', inRun: false });
    expect(restored.gates.R5).toMatchObject({ status: 'pending', inRun: false });
    expect(restored.gates.E3.status).toBe('passed');
    // The tests that ran stay known, as results of the earlier run.
    expect(restored.lastValidation?.id).toBe('R5');
  });
});
