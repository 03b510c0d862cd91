import { describe, expect, it } from 'vitest';
import { ciExpectationsFromProfile } from '../../../../../shared/parity/ci-expectations';
import { compareCiWithLocal } from '../../../../../shared/parity/ci-vs-local';
import { SKELDIR_PROFILE } from '../../../../../shared/profile/skeldir-profile';
import type { GateReport, RunProvenance, RunReport, ServerInfo } from '../../../../../shared/report/report';
import { belonging } from '../../../../../renderer/state/provenance';
import { keptTestStanding, withKeptTestStanding } from '../../../../../renderer/views/parity/kept-test-result';

const REPO = '/work/skeldir';
const server = (systemId: string): ServerInfo => ({ host: '127.0.0.1', port: 54329, version: '15.18', major: 15, embedded: true, systemId });
const provenance = (command: string, startedAt: string, systemId = 'cluster-a'): RunProvenance => ({
  repoDir: REPO,
  commit: null,
  branch: null,
  command,
  startedAt,
  server: server(systemId),
});
const r5Passed: GateReport = {
  id: 'R5',
  status: 'passed',
  durationMs: 4_000,
  steps: [],
  details: { suites: [{ suite: 'tests/test_tenants.py', outcome: 'passed', passed: 14, failed: 0, errors: 0, skipped: 0, cases: [] }] },
};
const report = (command: string, startedAt: string, gates: GateReport[] = [], systemId = 'cluster-a'): RunReport => ({
  command,
  startedAt,
  server: server(systemId),
  gates,
  findings: [],
  database: null,
  provenance: provenance(command, startedAt, systemId),
});

const tested = provenance('rebuild', '2026-12-07T23:00:00.000Z');
const here = (run: RunProvenance | null, systemId = 'cluster-a') => belonging(run, REPO, server(systemId));

describe('the R5 result on Parity’s "Test execution" line, kept from an earlier run', () => {
  it('is stale once a bootstrap, fix, rebuild or restore ran after it, by the rule Test results uses', () => {
    const bootstrap = report('fix DATABASE-MISSING', '2026-12-07T23:10:00.000Z');
    expect(keptTestStanding(bootstrap, tested, here(tested))).toEqual({
      kind: 'changed',
      changed: { command: 'fix DATABASE-MISSING', startedAt: '2026-12-07T23:10:00.000Z' },
    });
    // A diagnosis reads and changes nothing: the result still stands.
    expect(keptTestStanding(report('diagnose', '2026-12-07T23:10:00.000Z'), tested, here(tested))).toBeNull();
    // Nor does a diagnosis after the fix make it fresh again: the newest change is what counts.
    const lastChange = { command: 'fix DATABASE-MISSING', startedAt: '2026-12-07T23:10:00.000Z' };
    expect(keptTestStanding(report('diagnose', '2026-12-07T23:20:00.000Z'), tested, here(tested), lastChange)).toEqual({
      kind: 'changed',
      changed: lastChange,
    });
  });

  it('is the run’s own when that run ran or skipped R5 (the view’s provenance line speaks for it); a blocked R5 leaves the kept one on the line', () => {
    const skipped: GateReport = { id: 'R5', status: 'skipped', durationMs: 0, steps: [] };
    expect(keptTestStanding(report('rebuild', '2026-12-07T23:10:00.000Z', [skipped]), tested, here(tested))).toBeNull();
    expect(keptTestStanding(report('rebuild', '2026-12-07T23:10:00.000Z', [r5Passed]), tested, here(tested))).toBeNull();
    const blocked: GateReport = { id: 'R5', status: 'blocked', durationMs: 0, steps: [] };
    expect(keptTestStanding(report('rebuild', '2026-12-07T23:10:00.000Z', [blocked]), tested, here(tested))?.kind).toBe('changed');
  });

  it('is "not run against this server" when it ran on another cluster, and says nothing when no run is known', () => {
    const diagnosis = report('diagnose', '2026-12-07T23:10:00.000Z', [], 'cluster-b');
    expect(keptTestStanding(diagnosis, tested, here(tested, 'cluster-b'))).toEqual({ kind: 'elsewhere', why: 'server', provenance: tested });
    expect(keptTestStanding(diagnosis, null, here(null))).toBeNull();
    expect(keptTestStanding(null, tested, here(tested))).toBeNull();
  });

  it('turns a ✓ "Test execution" line into "check" when its result is stale, and leaves the other lines and a worse status alone', () => {
    const ci = ciExpectationsFromProfile(SKELDIR_PROFILE);
    const bootstrap = report('fix DATABASE-MISSING', '2026-12-07T23:10:00.000Z');
    const rows = compareCiWithLocal(ci, {
      report: bootstrap,
      plan: null,
      platform: 'linux',
      python: { version: '3.11.7' },
      lastValidation: r5Passed,
      validationSuites: SKELDIR_PROFILE.validationSuites,
    });
    const testsRow = rows.find((row) => row.id === 'tests');
    expect(testsRow?.local).toBe('pytest (Linux, Python 3.11.7): R5 passed (14 passed)');
    const standing = keptTestStanding(bootstrap, tested, here(tested));
    const shown = withKeptTestStanding(rows, standing);
    // The engine calls a passed R5 parity (✓), whatever happened to the database since.
    expect(testsRow?.status).toBe('ok');
    expect(shown.find((row) => row.id === 'tests')?.status).toBe('warn');
    expect(shown.filter((row) => row.id !== 'tests')).toEqual(rows.filter((row) => row.id !== 'tests'));
    expect(withKeptTestStanding(rows, null)).toBe(rows);
    const failing = rows.map((row) => (row.id === 'tests' ? { ...row, status: 'error' as const } : row));
    expect(withKeptTestStanding(failing, standing).find((row) => row.id === 'tests')?.status).toBe('error');
  });
});
