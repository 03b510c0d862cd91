import { beforeAll, describe, expect, it } from 'vitest';
import { checkPrerequisites } from '../../../electron/engine/python/check-prerequisites';
import { alembicBlockers, testBlockers, type PrerequisiteReport } from '../../../shared/prerequisites/prerequisites';
import { ensureTestPython } from '../../support/python-env';
import { backendPython, REAL_CORPUS_DIR, realCorpusUnavailable, requireRealCorpusInCi } from '../../support/real-corpus';

/**
 * E1's prerequisite lines on the real Skeldir backend, with two real interpreters: one with
 * the backend's requirements (all clear but dev tooling), and the fixture's (SQLAlchemy 2.1
 * with psycopg2 only, no celery), which must be stopped before any drop and before R5.
 */
requireRealCorpusInCi();

const SUITES = ['backend/tests/test_b0532_window_idempotency.py', 'backend/tests/test_b052_queue_topology_and_dlq.py'];

describe.skipIf(realCorpusUnavailable() !== null)('prerequisites on the real corpus', () => {
  let backend: PrerequisiteReport;
  let fixture: PrerequisiteReport;

  beforeAll(async () => {
    const fixturePython = await ensureTestPython();
    const env = { PATH: process.env.PATH };
    [backend, fixture] = await Promise.all([
      checkPrerequisites({ repoDir: REAL_CORPUS_DIR, pythonFlag: backendPython(), suites: SUITES, env }),
      checkPrerequisites({ repoDir: REAL_CORPUS_DIR, pythonFlag: fixturePython, suites: SUITES, env }),
    ]);
  });

  it('the backend interpreter passes; dev tooling it lacks is a warning, not a ✗', () => {
    expect(backend.checks.filter((check) => !check.ok && check.level !== 'warning')).toEqual([]);
    expect(backend.ok).toBe(true);
    expect(backend.checks.find((check) => check.id === 'database-driver')).toMatchObject({ ok: true, detail: expect.stringContaining('psycopg') });
    const warnings = backend.checks.filter((check) => check.level === 'warning').map((check) => check.id);
    expect(warnings).toContain('requirement-datamodel-code-generator');
    expect(alembicBlockers(backend)).toBeNull();
    expect(testBlockers(backend)).toBeNull();
  });

  it('SQLAlchemy 2.1 without psycopg 3 is a ✗ that blocks Alembic, with the pip command', () => {
    const driver = fixture.checks.find((check) => check.id === 'database-driver');
    expect(driver).toMatchObject({ ok: false, detail: expect.stringMatching(/SQLAlchemy 2\.1\.\d+ loads psycopg .*not installed/) });
    expect(driver?.fix).toMatch(/-m pip install "psycopg\[binary\]"$/);
    expect(driver?.level).toBeUndefined();
    expect(alembicBlockers(fixture)).toContain('psycopg[binary]');
    expect(fixture.ok).toBe(false);
  });

  it('requirements the suites import are ✗ for R5 (celery, greenlet for sqlalchemy[asyncio]); unused ones are warnings', () => {
    const byId = new Map(fixture.checks.map((check) => [check.id, check] as const));
    expect(byId.get('requirement-celery')).toMatchObject({ ok: false, neededBy: 'tests', fix: expect.stringContaining('"celery>=5.3.6"') });
    expect(byId.get('requirement-greenlet-for-sqlalchemy[asyncio]')).toMatchObject({
      ok: false,
      neededBy: 'tests',
      detail: expect.stringContaining('sqlalchemy.ext.asyncio'),
    });
    expect(byId.get('requirement-greenlet-for-sqlalchemy[asyncio]')?.fix).toContain('"sqlalchemy[asyncio]>=2.0.23"');
    expect(byId.get('requirement-schemathesis')).toMatchObject({ ok: false, level: 'warning' });
    expect(testBlockers(fixture)).toContain('celery');
    // Nothing the migrations import is missing besides the driver: Alembic's blockers name only it.
    expect(fixture.checks.filter((check) => !check.ok && !check.level && !check.neededBy).map((check) => check.id)).toEqual(['database-driver']);
  });
});
