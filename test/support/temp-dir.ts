import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Folders made by makeTempDir in this test file, removed after its tests by remove-temp-dirs.ts. */
const made: string[] = [];

/**
 * A new empty folder under the system temp folder, named `<prefix><6 random characters>`. It is
 * removed after the calling test file's tests, so a file that fails or forgets leaves nothing in /tmp.
 */
export function makeTempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Writes `files` (paths relative to `dir`, parent folders made as needed) under `dir`. */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
}

/** A temp folder, removed like makeTempDir's, holding `files`. */
export function makeTempTree(prefix: string, files: Record<string, string>): string {
  const dir = makeTempDir(prefix);
  writeFiles(dir, files);
  return dir;
}
