import { describe, expect, it } from 'vitest';
import type { Finding, GateReport } from '../../../shared/report/report';
import { trackFindingGates } from '../../../electron/engine/gates/findings/make-finding';
import { STEP_FAILED_ID, unexplainedStepFindings, withStepFindings } from '../../../shared/report/step-findings';

const gate = (id: GateReport['id'], status: GateReport['status'], steps: GateReport['steps'], error?: GateReport['error']): GateReport => ({
  id,
  status,
  durationMs: 1,
  steps,
  ...(error ? { error } : {}),
});
const step = (id: string, status: GateReport['steps'][number]['status'], detail = `${id} detail`) => ({ id, title: `Title of ${id}`, status, detail });
const finding = (id: string, source?: Finding['source']): Finding => ({
  id,
  severity: 'error',
  title: id,
  evidence: 'e',
  remediation: null,
  ...(source ? { source } : {}),
});

describe('findings from evidence: every failed step is a finding', () => {
  it('a red VERIFY that no finding explains becomes a generic finding naming the gate, the step and its detail', () => {
    const gates = [
      gate('E1', 'passed', [step('roles', 'passed')]),
      gate('VERIFY', 'failed', [step('tables', 'passed'), step('grants-app_rw', 'failed', 'app_rw lacks SELECT on tenants')]),
    ];
    const out = withStepFindings(gates, []);
    expect(out).toEqual([
      {
        id: STEP_FAILED_ID,
        severity: 'error',
        title: 'VERIFY Schema checks: \u201cTitle of grants-app_rw\u201d failed',
        evidence: 'app_rw lacks SELECT on tenants',
        explanation: 'No catalogued finding explains this failure yet; the evidence above is what the tool saw. Fix its cause, then run again.',
        remediation: null,
        source: { gate: 'VERIFY', step: 'grants-app_rw' },
      },
    ]);
  });

  it('a remediation named in the step ("\u2192 fix: \u2026") or the gate\u2019s error is said once, as what to do, with the action it asks for', () => {
    const prerequisite = gate('E1', 'passed', [
      { ...step('prerequisite-python', 'failed', 'not a working interpreter.\nNot found. \u2192 fix: Choose python.exe'), action: 'choose-python' as const },
    ]);
    expect(unexplainedStepFindings([prerequisite], [])[0]).toMatchObject({
      evidence: 'not a working interpreter.\nNot found.',
      explanation: 'What to do: Choose python.exe',
      action: 'choose-python',
    });
    const noStep = gate('R5', 'failed', [], {
      code: 'internal',
      message: 'pytest vanished',
      remediation: 'Restore the snapshot.',
      action: 'restore-snapshot',
      actionTarget: 'db__snap_1',
    });
    const generic = unexplainedStepFindings([noStep], [])[0];
    expect(generic).toMatchObject({
      title: 'R5 Validation tests failed',
      evidence: 'pytest vanished',
      explanation: 'What to do: Restore the snapshot.',
      source: { gate: 'R5' },
      action: 'restore-snapshot',
      actionTarget: 'db__snap_1',
    });
  });

  it('a step a finding explains (by its source, or a catalogued id) adds nothing; a finding for another step does not count', () => {
    const gates = [
      gate('E1', 'passed', [step('roles', 'failed'), step('login-app_user', 'failed'), step('login-app_ro', 'failed')]),
      gate('R4', 'failed', [step('upgrade-1', 'failed')]),
    ];
    const explained = [finding('ROLES-MISSING'), finding('APP-ROLE-LOGIN-FAILED'), finding('FM1')];
    // APP-ROLE-LOGIN-FAILED matches every login-* step by the catalogue's prefix.
    expect(unexplainedStepFindings(gates, explained)).toEqual([]);
    const bySource = [finding('VERIFY-GRANT-MISSING', { gate: 'VERIFY', step: 'grants' })];
    const verify = [gate('VERIFY', 'failed', [step('grants', 'failed'), step('rls', 'failed')])];
    expect(unexplainedStepFindings(verify, bySource).map((f) => f.source)).toEqual([{ gate: 'VERIFY', step: 'rls' }]);
  });

  it('blocked and skipped gates add nothing; a generic finding is never added twice', () => {
    const gates = [
      gate('R4', 'failed', [step('upgrade', 'failed')]),
      gate('VERIFY', 'blocked', [step('blocked', 'skipped')]),
      gate('R5', 'skipped', [step('skipped', 'skipped')]),
    ];
    const once = withStepFindings(gates, []);
    expect(once.map((f) => f.source)).toEqual([{ gate: 'R4', step: 'upgrade' }]);
    expect(withStepFindings(gates, once)).toEqual(once);
  });
});

describe('the gate that reported a finding explains its failure, whatever the finding is called', () => {
  it('a finding emitted while R5 ran (or after it, before the next gate) covers R5; E1 findings cover nothing by gate', () => {
    const seen: string[] = [];
    const { emit, sourceOf } = trackFindingGates((event) => seen.push(event.kind));
    const r5 = finding('R5-LOGIN-DIFFERENT-PASSWORD');
    const e1 = finding('PREREQUISITE-MISSING');
    emit({ kind: 'gate-started', gate: 'E1', title: 'Diagnosis' });
    emit({ kind: 'finding', finding: e1 });
    emit({ kind: 'gate-started', gate: 'R5', title: 'Validation tests' });
    emit({ kind: 'gate-finished', gate: 'R5', report: gate('R5', 'failed', [step('suite-a', 'failed')]) });
    emit({ kind: 'finding', finding: { ...r5 } });
    expect(seen).toEqual(['gate-started', 'finding', 'gate-started', 'gate-finished', 'finding']);
    expect(sourceOf(r5)).toEqual({ gate: 'R5' });
    expect(sourceOf(e1)).toBeUndefined();
    const gates = [gate('E1', 'passed', [step('prerequisite-greenlet', 'failed')]), gate('R5', 'failed', [step('suite-a', 'failed')])];
    expect(withStepFindings(gates, [e1, r5], sourceOf).map((f) => f.source)).toEqual([undefined, undefined, { gate: 'E1', step: 'prerequisite-greenlet' }]);
  });
});
