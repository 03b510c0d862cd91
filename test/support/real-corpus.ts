import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT, venvPythonPath } from './python-env';

/**
 * The real Skeldir backend (read-only, beside the project in ../shared/corpus) and an
 * interpreter with its backend requirements: the acceptance target of every gate.
 *
 * Tests that need them call these; outside CI a missing corpus or venv skips with the
 * reason, in CI (CI=true) it is a failure, as everywhere in this suite.
 */
export const REAL_CORPUS_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'corpus', 'skeldir-2.0-bf1ebf77');

/** The virtualenv .ci/run builds with test/support/backend-requirements.sh. */
export const BACKEND_VENV_DIR = path.join(REPO_ROOT, '.venv-skeldir');

/** Why the real corpus cannot be used here, or null when it can. */
export function realCorpusMissing(): string | null {
  if (!fs.existsSync(path.join(REAL_CORPUS_DIR, 'alembic.ini'))) return `the real Skeldir corpus is not at ${REAL_CORPUS_DIR}`;
  return null;
}

/**
 * `SKELDIR_BACKEND_PYTHON`, else `<repo>/.venv-skeldir`'s interpreter; undefined when neither
 * exists (build it with `bash test/support/backend-requirements.sh .venv-skeldir <corpus>/backend`).
 */
export function backendPython(): string | undefined {
  const configured = process.env.SKELDIR_BACKEND_PYTHON?.trim();
  if (configured) return configured;
  const python = venvPythonPath(BACKEND_VENV_DIR);
  return fs.existsSync(python) ? python : undefined;
}

/** Why a real-corpus test cannot run here (for `describe.skipIf` outside CI), or null. */
export function realCorpusUnavailable(): string | null {
  const missing = realCorpusMissing();
  if (missing) return missing;
  if (!backendPython())
    return `no interpreter with the backend's requirements: run bash test/support/backend-requirements.sh .venv-skeldir ${path.join(REAL_CORPUS_DIR, 'backend')}`;
  return null;
}

/** Throws in CI when the real corpus cannot be used (CI must never skip it). */
export function requireRealCorpusInCi(): void {
  const reason = realCorpusUnavailable();
  if (reason && process.env.CI === 'true') throw new Error(`CI needs the real corpus: ${reason}`);
}
