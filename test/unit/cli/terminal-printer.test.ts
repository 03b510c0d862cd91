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
