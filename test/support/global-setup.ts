import { ensureTestPython } from './python-env';

/**
 * Runs once before all test files. Prepares what several files share so that they
 * do not race to create it: the Python virtualenv with Alembic and pytest.
 * In CI (CI=true) a missing prerequisite is a failure, never a skip.
 */
export default async function setup(): Promise<void> {
  process.env.SKELDIR_TEST_PYTHON = await ensureTestPython();
}
