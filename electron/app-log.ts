import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EngineEvent } from '../shared/contract/events';
import { redactSecrets } from './engine/bundle/redact';

/**
 * The app's log: one file per run under the OS logs folder (app.getPath('logs')), the
 * newest KEEP_RUNS kept, each capped at MAX_BYTES. A packaged Windows app has no
 * console, so this file is where engine progress, errors and crashes can be read (and
 * what "Report a problem" points support to). Every line passes the diagnostic
 * bundle's redactor first: connection URLs, PASSWORD '…', *PASSWORD=… and the known
 * secrets never reach the disk.
 */
export const KEEP_RUNS = 10;
export const MAX_BYTES = 5 * 1024 * 1024;
const PREFIX = 'skeldir-rebuild-';

export interface AppLog {
  file: string;
  info(message: string): void;
  error(message: string, error?: unknown): void;
  /** One line per engine event worth keeping (not every Alembic stdout line). */
  event(event: EngineEvent): void;
}

export function openAppLog(dir: string, secrets: () => Array<string | null | undefined> = () => [], now: () => Date = () => new Date()): AppLog {
  fs.mkdirSync(dir, { recursive: true });
  const stamp = now().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  const file = path.join(dir, `${PREFIX}${stamp}-${process.pid}.log`);
  rotate(dir, KEEP_RUNS - 1);
  let written = 0;
  let full = false;

  const write = (level: 'info' | 'error', message: string) => {
    if (full) return;
    const clean = redactSecrets(message, { secrets: secrets() }).value;
    let line = `${now().toISOString()} ${level.toUpperCase().padEnd(5)} ${clean}\n`;
    if (written + Buffer.byteLength(line) > MAX_BYTES) {
      line = `${now().toISOString()} INFO  log size limit (${MAX_BYTES} bytes) reached; later lines of this run are not kept.\n`;
      full = true;
    }
    try {
      fs.appendFileSync(file, line, 'utf8');
      written += Buffer.byteLength(line);
    } catch {
      // A full or read-only disk must not take the app down with it.
    }
  };

  return {
    file,
    info: (message) => write('info', message),
    error: (message, error) =>
      write('error', error === undefined ? message : `${message}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
    event: (event) => {
      const line = describeEvent(event);
      if (line) write(line.level, line.text);
    },
  };
}

/** Deletes all but the newest `keep` run logs (names sort by their timestamp). */
export function rotate(dir: string, keep: number): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((name) => name.startsWith(PREFIX) && name.endsWith('.log'));
  } catch {
    return;
  }
  names.sort();
  for (const name of names.slice(0, Math.max(0, names.length - keep))) {
    try {
      fs.rmSync(path.join(dir, name), { force: true });
    } catch {
      // Another instance may hold it open on Windows; the next start tries again.
    }
  }
}

function describeEvent(event: EngineEvent): { level: 'info' | 'error'; text: string } | null {
  switch (event.kind) {
    case 'gate-started':
      return { level: 'info', text: `${event.gate} started: ${event.title}` };
    case 'step-finished':
      return {
        level: event.step.status === 'failed' ? 'error' : 'info',
        text: `${event.gate} ${event.step.status}: ${event.step.title}: ${event.step.detail}`,
      };
    case 'progress':
      return { level: 'info', text: `${event.gate} ${event.current}/${event.total} ${event.label}` };
    case 'log-line':
      return event.stream === 'stderr' ? { level: 'info', text: `${event.gate} | ${event.line}` } : null;
    case 'finding':
      return { level: 'info', text: `finding ${event.finding.id} [${event.finding.severity}] ${event.finding.title}` };
    case 'gate-finished':
      return { level: event.report.status === 'failed' ? 'error' : 'info', text: `${event.gate} ${event.report.status} in ${event.report.durationMs} ms` };
    case 'job-finished':
      return event.report.error
        ? {
            level: 'error',
            text: `job ${event.report.command} ended with an error: ${event.report.error.message}${event.report.error.detail ? ` (${event.report.error.detail})` : ''}`,
          }
        : { level: 'info', text: `job ${event.report.command} finished` };
  }
}
