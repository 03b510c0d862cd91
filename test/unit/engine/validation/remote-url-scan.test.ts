import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanPythonSource, scanSuiteForRemoteUrls } from '../../../../electron/engine/gates/validation/remote-url-scan';
import { REPO_ROOT } from '../../../support/python-env';
import { REAL_CORPUS_DIR, realCorpusMissing } from '../../../support/real-corpus';

/** What a suite's own code does with connection strings, read before R5 runs it. */
const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'remote-dsn-suite');

describe('a suite\u2019s code read for remote connection strings', () => {
  it('finds the test file\u2019s and an imported helper\u2019s unconditional assignments, and the conftest fallback', () => {
    const hits = scanSuiteForRemoteUrls(FIXTURE, 'backend/tests/test_remote.py');
    expect(hits).toEqual([
      { file: 'backend/tests/test_remote.py', line: 5, target: 'os.environ["DATABASE_URL"]', host: 'remote-db.example.invalid', unconditional: true },
      { file: 'backend/tests/conftest.py', line: 5, target: 'os.environ["DATABASE_URL"]', host: 'remote-db.example.invalid', unconditional: false },
      { file: 'backend/tests/helpers/dsn.py', line: 4, target: 'os.environ["CELERY_BROKER_URL"]', host: 'remote-db.example.invalid', unconditional: true },
    ]);
  });

  it('treats setdefault as a fallback and ignores loopback URLs', () => {
    const hits = scanSuiteForRemoteUrls(FIXTURE, 'backend/tests/test_local.py');
    expect(hits.every((hit) => !hit.unconditional)).toBe(true);
    expect(hits.map((hit) => hit.file)).toEqual(['backend/tests/test_local.py', 'backend/tests/conftest.py']);
  });

  it('reads the shapes tests use', () => {
    const source = [
      'import os',
      'TEST_DSN = "postgresql+asyncpg://u:p@db.example.com/x"',
      'os.environ.setdefault(',
      '    "DATABASE_URL",',
      '    "postgresql://u:p@db.example.com/x",',
      ')',
      'DEFAULT = os.environ.get("X", "postgresql://u:p@db.example.com/x")',
      'def test_x(monkeypatch):',
      '    monkeypatch.setenv("DATABASE_URL", "postgresql://u:p@10.0.0.5/x")',
      '# os.environ["DATABASE_URL"] = "postgresql://u:p@commented.example.com/x"',
      'if os.getenv("DATABASE_URL") is None:',
      '    os.environ["DATABASE_URL"] = "postgresql://u:p@db.example.com/x"',
      'os.environ["LOCAL"] = "postgresql://u:p@127.0.0.1/x"',
      '"""Docs: postgresql://u:p@docs.example.com/x"""',
      'def helper():',
      '    """An unbalanced bracket in a docstring (see',
      '    postgresql://u:p@docstring.example.com/x',
      '    """',
      'LATER = "postgresql://u:p@later.example.com/x"  # a comment: postgresql://u:p@comment.example.com/x',
    ].join('\n');
    expect(scanPythonSource(source)).toEqual([
      { line: 2, target: 'TEST_DSN', host: 'db.example.com', unconditional: true },
      { line: 5, target: 'os.environ["DATABASE_URL"]', host: 'db.example.com', unconditional: false },
      { line: 7, target: 'os.environ["X"]', host: 'db.example.com', unconditional: false },
      { line: 9, target: 'os.environ["DATABASE_URL"]', host: '10.0.0.5', unconditional: true },
      { line: 12, target: 'os.environ["DATABASE_URL"]', host: 'db.example.com', unconditional: false },
      { line: 19, target: 'LATER', host: 'later.example.com', unconditional: true },
    ]);
  });
});

describe.skipIf(realCorpusMissing() !== null && process.env.CI !== 'true')('the real Skeldir tests', () => {
  it('the guide\u2019s suites only fall back to a hosted database; a suite that sets it unconditionally is caught', () => {
    for (const suite of ['backend/tests/test_b0532_window_idempotency.py', 'backend/tests/test_b052_queue_topology_and_dlq.py']) {
      const hits = scanSuiteForRemoteUrls(REAL_CORPUS_DIR, suite);
      expect(hits.filter((hit) => hit.unconditional)).toEqual([]);
      expect(hits.some((hit) => hit.file === 'backend/tests/conftest.py')).toBe(true);
    }
    const unconditional = scanSuiteForRemoteUrls(REAL_CORPUS_DIR, 'backend/tests/test_b041_validation.py').filter((hit) => hit.unconditional);
    expect(unconditional).toEqual([
      { file: 'backend/tests/test_b041_validation.py', line: 13, target: 'os.environ["DATABASE_URL"]', host: 'remote-db.example.invalid', unconditional: true },
    ]);
  });
});
