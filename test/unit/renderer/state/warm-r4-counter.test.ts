import { describe, expect, it } from 'vitest';
import type { JobEvent } from '../../../../shared/contract/events';
import type { GateReport } from '../../../../shared/report/report';
import { beginJob, initialRunState, reduceEvents } from '../../../../renderer/state/run-state';

/**
 * A warm rebuild's R4 is one step, "restored from template": the rail must say [1/1],
 * from the engine's total (gate-started and step-finished carry 1) or, when an engine
 * sends no total, from the finished gate's own steps.
 */
const jobId = 'job-warm';
const restored: GateReport = {
  id: 'R4',
  status: 'passed',
  durationMs: 0,
  steps: [{ id: 'restored-from-template', title: 'Migrations', status: 'already', detail: 'restored from template db__tpl_abc (key abc…)' }],
  details: { restoredFrom: 'db__tpl_abc' },
};
const start = () => beginJob(initialRunState(), { jobId, kind: 'rebuild', startedAt: 0, cancelling: false }, ['E1', 'E2', 'E3', 'R4', 'VERIFY', 'R5']);
const counter = (gate: { stepIndex: number; totalSteps: number | null }) => `[${gate.stepIndex}${gate.totalSteps ? `/${gate.totalSteps}` : ''}]`;

describe('R4 restored from a template', () => {
  it('reads [1/1] with the totals the engine sends', () => {
    const events: JobEvent[] = [
      { kind: 'gate-started', jobId, gate: 'R4', title: 'Migrations', totalSteps: 1 },
      { kind: 'step-finished', jobId, gate: 'R4', index: 1, total: 1, step: restored.steps[0] },
    ];
    const running = reduceEvents(start(), events, 1).state;
    expect(counter(running.gates.R4)).toBe('[1/1]');
    const done = reduceEvents(running, [{ kind: 'gate-finished', jobId, gate: 'R4', report: restored }], 2).state;
    expect(counter(done.gates.R4)).toBe('[1/1]');
    expect(done.gates.R4.status).toBe('passed');
  });

  it('reads [1/1] once finished even when no total came', () => {
    const events: JobEvent[] = [
      { kind: 'gate-started', jobId, gate: 'R4', title: 'Migrations' },
      { kind: 'step-finished', jobId, gate: 'R4', index: 1, step: restored.steps[0] },
      { kind: 'gate-finished', jobId, gate: 'R4', report: restored },
    ];
    expect(counter(reduceEvents(start(), events, 1).state.gates.R4)).toBe('[1/1]');
  });
});
