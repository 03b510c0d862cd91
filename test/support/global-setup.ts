import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureTestPython } from './python-env';

/**
 * Runs once before all test files. Prepares what several files share so that they
 * do not race to create it: the Python virtualenv with Alembic and pytest.
 * In CI (CI=true) a missing prerequisite is a failure, never a skip.
 */
export default async function setup(): Promise<() => void> {
  process.env.SKELDIR_TEST_PYTHON = await ensureTestPython();
  const made: string[] = [];
  // Folders the app would otherwise write in the user's home, kept in this run's temp folders (removed at the
  // end) unless the caller chose one: VERIFY's offline SQL, and the CLI's memo of parsed revisions.
  for (const [variable, prefix] of [
    ['SKELDIR_OFFLINE_SQL_DIR', 'skeldir-offline-sql-'],
    ['SKELDIR_CACHE_DIR', 'skeldir-cache-'],
  ] as const) {
    if (process.env[variable]) continue;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    process.env[variable] = dir;
    made.push(dir);
  }
  return () => {
    for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
  };
}
