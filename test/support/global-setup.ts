import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureTestPython } from './python-env';

/**
 * Runs once before all test files. Prepares what several files share so that they
 * do not race to create it: the Python virtualenv with Alembic and pytest.
 * In CI (CI=true) a missing prerequisite is a failure, never a skip.
 */
export default async function setup(): Promise<(() => void) | void> {
  process.env.SKELDIR_TEST_PYTHON = await ensureTestPython();
  // VERIFY keeps the migrations' offline SQL on disk: tests keep theirs out of the user's app-data folder.
  if (!process.env.SKELDIR_OFFLINE_SQL_DIR) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skeldir-offline-sql-'));
    process.env.SKELDIR_OFFLINE_SQL_DIR = dir;
    return () => fs.rmSync(dir, { recursive: true, force: true });
  }
}
