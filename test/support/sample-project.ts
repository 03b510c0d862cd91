import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The committed sample projects, and throwaway copies tests may change. */
export const FIXTURES_DIR = path.resolve(__dirname, '..', 'fixtures');
export const SKELDIR_FOUNDATION = path.join(FIXTURES_DIR, 'skeldir-foundation');
export const LARGE_300 = path.join(FIXTURES_DIR, 'large-300');

/** A copy of a fixture in a temp folder (optionally under a path with spaces and non-ASCII characters). */
export function copyFixture(source: string, folderName = path.basename(source)): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'skeldir-fixture-'));
  fs.chmodSync(root, 0o755);
  const target = path.join(root, folderName);
  fs.cpSync(source, target, { recursive: true, filter: (src) => !src.includes('__pycache__') && !src.includes('.pytest_cache') });
  return target;
}
