import type { EngineEvent } from '../../shared/contract/events';
import type { GateId } from '../../shared/report/gates';

/**
 * The one-line live progress of the long gates (R4: revision k of n; R5: suite k of n),
 * redrawn in place with the elapsed time on a terminal. Everything else the printer
 * writes first clears that line, so the log above it stays intact. Off the terminal, or
 * with NO_COLOR / --no-progress, nothing is drawn and the printer's plain lines remain.
 */
const LIVE_GATES: ReadonlySet<GateId> = new Set(['R4', 'R5']);

export interface LiveProgress {
  /** Feeds one event; true when the event was shown on the live line (the plain printer skips it). */
  show(event: EngineEvent): boolean;
  /** After the plain line of an R5 suite: the next suite's live line. */
  after(event: EngineEvent): void;
  /** Clears the live line before other output. */
  clear(): void;
  stop(): void;
}

interface LiveLine {
  gate: GateId;
  noun: string;
  current: number;
  total: number;
  label: string;
}

export function createLiveProgress(stream: NodeJS.WriteStream, now: () => number = Date.now): LiveProgress {
  let gateStarted = now();
  let line: LiveLine | null = null;
  let timer: NodeJS.Timeout | null = null;
  const start = (next: LiveLine) => {
    line = next;
    draw();
    // The elapsed time keeps moving while one long revision or suite runs.
    if (!timer) {
      timer = setInterval(draw, 1000);
      timer.unref();
    }
  };

  const draw = () => {
    if (!line) return;
    const elapsed = formatMs(Math.round((now() - gateStarted) / 100) * 100);
    const text = `  ${line.gate} ${line.noun} ${line.current} of ${line.total}, ${elapsed} \u2014 ${line.label}`;
    const width = Math.max(20, (stream.columns || 80) - 1);
    stream.write(`\r\x1b[2K${text.length > width ? `${text.slice(0, width - 1)}\u2026` : text}`);
  };
  // The line a log line interrupted, drawn again below it.
  let interrupted: LiveLine | null = null;
  const clear = () => {
    if (!line) return;
    stream.write('\r\x1b[2K');
    interrupted = line;
    line = null;
    if (timer) clearInterval(timer);
    timer = null;
  };

  return {
    show(event) {
      if (event.kind === 'gate-started') gateStarted = now();
      const live =
        event.kind === 'progress' && LIVE_GATES.has(event.gate)
          ? { gate: event.gate, noun: 'revision', current: event.current, total: event.total, label: event.label }
          : null;
      if (!live) {
        clear();
        return false;
      }
      start(live);
      return true;
    },
    after(event) {
      if (event.kind === 'log-line' && interrupted) {
        start(interrupted);
        return;
      }
      interrupted = null;
      if (event.kind !== 'step-finished' || event.gate !== 'R5' || !event.total || !event.index || event.index >= event.total) return;
      start({ gate: 'R5', noun: 'suite', current: event.index + 1, total: event.total, label: 'running pytest' });
    },
    clear,
    stop: clear,
  };
}

/** Live progress only on a colour-capable terminal the user did not ask to keep plain. */
export function wantsLiveProgress(stream: NodeJS.WriteStream, enabled: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  return enabled && Boolean(stream.isTTY) && !env.NO_COLOR && env.TERM !== 'dumb';
}

/** A duration as the terminal shows it: "850 ms", "2.4 s". */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
