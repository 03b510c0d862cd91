import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../electron/engine/pipeline/run-pipeline';
import { SKELDIR_PROFILE } from '../../shared/profile/skeldir-profile';
import type { RunReport } from '../../shared/report/report';
import { ensureTestPython } from '../support/python-env';
import { runCli } from '../support/run-cli';
import { copyFixture, SKELDIR_FOUNDATION } from '../support/sample-project';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../support/throwaway-postgres';
import { addRevision, processesMentioning, SAMPLE_HEAD } from './reliability-helpers';

/**
 * Subprocesses, end to end through real Python, Alembic and pytest. The mechanisms are
 * unit- and integration-tested where they live; this file adds what only a whole run shows:
 *   - test/unit/engine/process/stream-decoder.test.ts: every split point of multi-byte text, cp1252 fallback;
 *   - test/integration/engine/process/run-process.test.ts: shell: false with an argument array, .cmd/.bat
 *     refused, PYTHONUTF8/PYTHONIOENCODING/PYTHONUNBUFFERED set, grandchild gone after cancel and timeout,
 *     a folder with spaces and non-ASCII characters, `café ✓ Ж` written in pieces by node;
 *   - test/integration/engine/pipeline/cancel-migrations.test.ts: cancel in R4 under "II SKELDIR II bäckend".
 */
let pg: ThrowawayPostgres;
let python: string;
let repo: string;
const UTF8 = '202512190000';
const GRANDCHILD = '202512190100';
const CANARY = path.join(os.tmpdir(), `skeldir-shell-canary-${process.pid}`);
const GRANDCHILD_MARK = `skeldir-subprocess-grandchild-${process.pid}`;

beforeAll(async () => {
  [pg, python] = await Promise.all([startThrowawayPostgres(), ensureTestPython()]);
  // Spaces, non-ASCII, and shell syntax that would run if any command went through a shell.
  repo = copyFixture(SKELDIR_FOUNDATION, `II SKELDIR II b\u00e4ckend \u2713 $(touch ${CANARY}) ; touch ${CANARY} & 'q'`);
  addRevision(
    repo,
    UTF8,
    SAMPLE_HEAD,
    [
      // Through Python's text layer (its encoding is what PYTHONIOENCODING decides)…
      'sys.stderr.write("text: caf\\u00e9 \\u2713 \\u0416\\n")',
      'sys.stderr.flush()',
      // …and as raw UTF-8 bytes cut inside characters, with pauses so they arrive as separate chunks.
      'data = "raw: caf\\u00e9 \\u2713 \\u0416\\n".encode("utf-8")',
      'for cut in ((0, 9), (9, 12), (12, 15), (15, len(data))):',
      '    os.write(2, data[cut[0]:cut[1]])',
      '    time.sleep(0.05)',
    ],
    'utf8_output',
  );
  addRevision(
    repo,
    GRANDCHILD,
    UTF8,
    [
      'if os.environ.get("SKELDIR_RELIABILITY_FAULT") == "grandchild":',
      '    import subprocess',
      `    subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)", "${GRANDCHILD_MARK}"])`,
      '    time.sleep(600)',
    ],
    'grandchild',
  );
});
afterEach(() => {
  delete process.env.SKELDIR_RELIABILITY_FAULT;
});
afterAll(async () => {
  for (const pid of processesMentioning(GRANDCHILD_MARK)) process.kill(pid, 'SIGKILL');
  await pg?.stop();
  if (repo) fs.rmSync(path.dirname(repo), { recursive: true, force: true });
  fs.rmSync(CANARY, { force: true });
});

describe('subprocesses through a whole run', () => {
  it('a repo path with spaces, non-ASCII and shell syntax: the full rebuild passes and no shell ever runs it', async () => {
    const run = await runCli(
      ['rebuild', '--host', '127.0.0.1', '--port', String(pg.settings.port), '--repo', repo, '--python', python, '--drop-existing', '--yes', '--json'],
      // As on a Windows console with a legacy code page: the engine must still get UTF-8 from Python.
      { SKELDIR_SUPERUSER_PASSWORD: pg.settings.password, PYTHONIOENCODING: 'latin-1', PYTHONUTF8: '0' },
    );
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as RunReport;
    expect(report.gates.map((g) => `${g.id}:${g.status}`)).toEqual(['E1:passed', 'E2:passed', 'E3:passed', 'R4:passed', 'VERIFY:passed', 'R5:passed']);
    expect(report.database?.alembicVersion).toEqual([GRANDCHILD]);
    expect(fs.existsSync(CANARY)).toBe(false);
    // Multi-byte characters intact, whether Python encoded them or they came as bytes cut mid-character.
    expect(run.stderr).toContain('| text: caf\u00e9 \u2713 \u0416\n');
    expect(run.stderr).toContain('| raw: caf\u00e9 \u2713 \u0416\n');
    expect(run.stderr).not.toContain('\ufffd');
    console.log(
      `[reliability] repo path ${JSON.stringify(path.relative(os.tmpdir(), repo))} -> exit ${run.code}, every gate passed, no shell ran; "café ✓ Ж" arrived intact`,
    );
  });

  it('cancel in R4 ends Alembic and the grandchild it started; the transaction rolls back', async () => {
    process.env.SKELDIR_RELIABILITY_FAULT = 'grandchild';
    const controller = new AbortController();
    let sawGrandchildRevision = false;
    const report = await runPipeline(
      {
        command: 'rebuild',
        gates: ['E1', 'E2', 'E3', 'R4'],
        settings: pg.settings,
        profile: SKELDIR_PROFILE,
        repoDir: repo,
        pythonFlag: python,
        bootstrap: { dropExisting: true, confirmed: true, allowRemote: false },
        explicitTargets: ['202511131121', GRANDCHILD],
        signal: controller.signal,
      },
      (event) => {
        if (event.kind === 'progress' && event.label.startsWith(GRANDCHILD) && !sawGrandchildRevision) {
          sawGrandchildRevision = true;
          // Give the revision time to start its grandchild, then cancel.
          const waitForGrandchild = setInterval(() => {
            if (processesMentioning(GRANDCHILD_MARK).length > 0) {
              clearInterval(waitForGrandchild);
              controller.abort();
            }
          }, 50);
        }
      },
    );
    expect(sawGrandchildRevision).toBe(true);
    const r4 = report.gates.find((g) => g.id === 'R4');
    expect(r4?.steps.map((s) => s.status)).toEqual(['passed', 'failed']);
    expect(r4?.steps[1].detail).toBe('cancelled; the running transaction was rolled back');
    expect(processesMentioning(GRANDCHILD_MARK)).toEqual([]);
    expect(processesMentioning(path.join(repo, 'alembic.ini'))).toEqual([]);
    expect(report.database?.alembicVersion).toEqual(['202511131121']);
    console.log(`[reliability] cancel during R4 with a grandchild -> R4 step: ${r4?.steps[1].detail}; Alembic and its grandchild gone`);
  });

  it('a .cmd/.bat interpreter is refused: the engine never runs anything through a shell', async () => {
    const fake = path.join(path.dirname(repo), 'python.cmd');
    fs.writeFileSync(fake, '@echo off\r\n', { mode: 0o755 });
    const run = await runCli(['migrate', '--preview', '--repo', repo, '--python', fake]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`Cannot run "${fake}": batch files (.cmd/.bat) need a shell, and the engine never runs commands through one.`);
    console.log(
      `[reliability] --python python.cmd -> exit ${run.code}: Cannot run "…/python.cmd": batch files (.cmd/.bat) need a shell, and the engine never runs commands through one.`,
    );
  });
});
