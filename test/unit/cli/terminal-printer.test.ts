import { describe, expect, it } from 'vitest';
import { createTerminalPrinter } from '../../../electron/cli/terminal-printer';
import type { EngineEvent } from '../../../shared/contract/events';

describe('the terminal printer', () => {
  it('keeps every line of a multi-line detail indented under its step, with the CLI how-to at its end', () => {
    const lines: string[] = [];
    const print = createTerminalPrinter((text) => lines.push(text));
    const event: EngineEvent = {
      kind: 'step-finished',
      gate: 'E1',
      index: 6,
      total: 7,
      step: {
        id: 'prerequisite-python',
        title: 'Python interpreter',
        status: 'failed',
        detail: 'The interpreter you chose is not a working Python interpreter.\r\nCannot run "C:\\Py 3\\python.exe": the program was not found.',
        action: 'choose-python',
        durationMs: 1,
      },
    };
    print(event);
    const printed = lines.join('').split('\n');
    expect(printed[0]).toMatch(/^ {2}\[6\/7\] \S+ Python interpreter: The interpreter you chose is not a working Python interpreter\.$/);
    expect(printed[1]).toBe('      Cannot run "C:\\Py 3\\python.exe": the program was not found (pass --python PATH).');
    expect(printed[2]).toBe('');
  });

  it('a diagnosis that passed with ✗ lines ends saying how many problems it found, as the app\u2019s gate card does', () => {
    const lines: string[] = [];
    const print = createTerminalPrinter((text) => lines.push(text));
    const step = (id: string, status: 'passed' | 'failed') => ({ id, title: id, status, detail: '', durationMs: 1 });
    print({
      kind: 'gate-finished',
      gate: 'E1',
      report: { id: 'E1', status: 'passed', durationMs: 53, steps: [step('a', 'failed'), step('b', 'passed'), step('c', 'failed')] },
    });
    print({ kind: 'gate-finished', gate: 'E2', report: { id: 'E2', status: 'passed', durationMs: 9, steps: [step('a', 'passed')] } });
    expect(lines.join('')).toBe('  E1 passed in 53 ms \u00b7 2 problems found\n  E2 passed in 9 ms\n');
  });

  it('ends a run with the report\u2019s findings that were never printed, so the terminal lists what the app\u2019s Findings lists', () => {
    const lines: string[] = [];
    const print = createTerminalPrinter((text) => lines.push(text));
    const finding = (id: string, evidence: string) => ({ id, severity: 'error' as const, title: `${id} title`, evidence, remediation: null });
    const said = finding('TABLES-DROPPED', 'Missing: jobs.');
    print({ kind: 'finding', finding: said });
    const report = {
      command: 'diagnose',
      startedAt: '2026-12-07T00:00:00.000Z',
      server: { host: '127.0.0.1', port: 5432, version: '15.18', major: 15, embedded: true },
      gates: [],
      findings: [said, finding('STEP-FAILED', 'E1 Diagnosis: \u201cBackend repository\u201d failed')],
      database: null,
    };
    print({ kind: 'job-finished', report });
    expect(lines.slice(1).join('')).toBe(
      '\nFindings at the end of the run\n  finding STEP-FAILED [error] STEP-FAILED title: E1 Diagnosis: \u201cBackend repository\u201d failed\n',
    );
    // Nothing new at the end: no heading either.
    const quiet: string[] = [];
    const again = createTerminalPrinter((text) => quiet.push(text));
    again({ kind: 'finding', finding: said });
    again({ kind: 'job-finished', report: { ...report, findings: [said] } });
    expect(quiet).toHaveLength(1);
  });

  it('points a fixable finding at its fix command', () => {
    const lines: string[] = [];
    createTerminalPrinter((text) => lines.push(text))({
      kind: 'finding',
      finding: {
        id: 'ROLES-MISSING',
        severity: 'error',
        title: 'Roles are missing',
        explanation: 'Bootstrap creates the application roles.',
        evidence: 'Missing roles: app_user.',
        remediation: { action: 'run-bootstrap', label: 'Run bootstrap' },
      },
    } as EngineEvent);
    expect(lines.join('')).toMatch(
      /^ {2}finding ROLES-MISSING \[error\] Roles are missing: Missing roles: app_user\. (\u2192|->) fix: skeldir-rebuild fix ROLES-MISSING\n$/,
    );
  });
});
