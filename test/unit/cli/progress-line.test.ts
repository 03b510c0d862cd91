import { describe, expect, it } from 'vitest';
import { createLiveProgress, wantsLiveProgress } from '../../../electron/cli/progress-line';
import { createTerminalPrinter } from '../../../electron/cli/terminal-printer';
import type { EngineEvent } from '../../../shared/contract/events';

function fakeTerminal(isTTY: boolean) {
  const writes: string[] = [];
  return { stream: { isTTY, columns: 60, write: (text: string) => (writes.push(text), true) } as unknown as NodeJS.WriteStream, writes };
}

const step = (gate: 'R4' | 'R5', index: number, total: number, title: string): EngineEvent => ({
  kind: 'step-finished',
  gate,
  index,
  total,
  step: { id: `${gate}-${index}`, title, status: 'passed', detail: 'ok', durationMs: 10 } as never,
});

describe('the live progress line', () => {
  it('is drawn only on a terminal, and not with NO_COLOR, TERM=dumb or --no-progress', () => {
    expect(wantsLiveProgress(fakeTerminal(true).stream, true, {})).toBe(true);
    expect(wantsLiveProgress(fakeTerminal(false).stream, true, {})).toBe(false);
    expect(wantsLiveProgress(fakeTerminal(true).stream, true, { NO_COLOR: '1' })).toBe(false);
    expect(wantsLiveProgress(fakeTerminal(true).stream, true, { TERM: 'dumb' })).toBe(false);
    expect(wantsLiveProgress(fakeTerminal(true).stream, false, {})).toBe(false);
  });

  it('redraws "R4 revision k of n, elapsed" in place, clears itself before other lines, and counts R5 suites', () => {
    const { stream, writes } = fakeTerminal(true);
    let now = 0;
    const live = createLiveProgress(stream, () => now);
    const printer = createTerminalPrinter((text) => stream.write(text), live);
    printer({ kind: 'gate-started', gate: 'R4', title: 'Migrations' });
    now = 1500;
    printer({
      kind: 'progress',
      gate: 'R4',
      current: 3,
      total: 12,
      label: 'abc123 \u2014 add a table with a very long name that will not fit in sixty columns',
    });
    const drawn = writes.at(-1) as string;
    expect(drawn.startsWith('\r\x1b[2K')).toBe(true);
    expect(drawn).toContain('R4 revision 3 of 12, 1.5 s');
    expect(drawn.length - '\r\x1b[2K'.length).toBeLessThanOrEqual(59);
    printer({ kind: 'log-line', gate: 'R4', stream: 'stderr', line: 'a warning' });
    expect(writes.slice(-3, -1)).toEqual(['\r\x1b[2K', '    | a warning\n']);
    // The live line comes back below the log line.
    expect(writes.at(-1)).toContain('R4 revision 3 of 12');
    printer({ kind: 'gate-finished', gate: 'R4', report: { id: 'R4', status: 'passed', durationMs: 2000, steps: [] } as never });
    expect(writes.at(-1)).toBe('  R4 passed in 2.0 s\n');
    printer({ kind: 'gate-started', gate: 'R5', title: 'Tests' });
    printer(step('R5', 1, 3, 'suite one'));
    expect(writes.at(-1)).toContain('R5 suite 2 of 3');
    live.stop();
  });

  it('off the terminal the printer keeps its plain lines', () => {
    const lines: string[] = [];
    const printer = createTerminalPrinter((text) => lines.push(text));
    printer({ kind: 'progress', gate: 'R4', current: 3, total: 12, label: 'abc123' });
    expect(lines).toEqual(['  (3/12) abc123\n']);
  });
});
