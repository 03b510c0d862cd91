import { readFileSync, statSync } from 'node:fs';

/** Small synchronous probes for checks that must never throw on a missing or unreadable path. */
export function readTextIfPresent(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

export function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

export function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** A JSON file read without throwing: its value, or why there is none (no such file; unreadable or not JSON). */
export type JsonFile = { found: true; value: unknown } | { found: false; why: 'absent' | 'unreadable' };

export function readJsonFile(file: string): JsonFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { found: false, why: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'absent' : 'unreadable' };
  }
  try {
    return { found: true, value: JSON.parse(text) as unknown };
  } catch {
    return { found: false, why: 'unreadable' };
  }
}
