import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../electron/engine/pipeline/run-pipeline';
import { SKELDIR_PROFILE } from '../../shared/profile/skeldir-profile';
import { ensureTestPython } from '../support/python-env';
import { runCli, type CliRun } from '../support/run-cli';
import { copyFixture, SKELDIR_FOUNDATION } from '../support/sample-project';
import { makeTempDir } from '../support/temp-dir';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../support/throwaway-postgres';

/**
 * Bad input: the paths a gate command is given. A --repo that does not exist, holds no
 * alembic.ini or has an alembic.ini Alembic cannot read, and a --python file that does not
 * exist, are the user's input to correct: exit 2, as `graph --repo` and a bad --profile do,
 * said before anything connects or asks, and named as what they are (a repository is not a
 * Python prerequisite). The server is real and reachable, so a command that went on would
 * run E1 against it.
 */
let pg: ThrowawayPostgres;
let python: string;
let repo: string;
const scratch = makeTempDir('skeldir-path-flags-');

beforeAll(async () => {
  [pg, python] = await Promise.all([startThrowawayPostgres(), ensureTestPython()]);
  repo = copyFixture(SKELDIR_FOUNDATION);
});
afterAll(async () => {
  await pg?.stop();
  if (repo) fs.rmSync(path.dirname(repo), { recursive: true, force: true });
  fs.rmSync(scratch, { recursive: true, force: true });
});

function rebuild(repoDir: string, pythonPath: string, extra: string[] = []): Promise<CliRun> {
  return runCli(
    ['rebuild', '--repo', repoDir, '--python', pythonPath, '--drop-existing', '--yes', '--host', '127.0.0.1', '--port', String(pg.settings.port), ...extra],
    { SKELDIR_SUPERUSER_PASSWORD: pg.settings.password },
  );
}

/** Nothing ran: no gate printed its heading, no finding was made. */
function refusedBeforeAnyGate(run: CliRun): void {
  expect(run.stderr).not.toContain('E1 Diagnosis');
  expect(run.stderr).not.toContain('finding ');
  expect(run.stderr).not.toMatch(/unexpected error/i);
}

describe('a gate command given a path that names nothing usable: exit 2 before anything runs', () => {
  it('a --repo that does not exist is named as the repository, with the flag to pass', async () => {
    const missing = path.join(scratch, 'nonexistent');
    const run = await rebuild(missing, python);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(`error: The repository folder ${missing} does not exist.`);
    expect(run.stderr).toContain('what to do: Check the repository folder you chose: it must be the one that holds alembic.ini (pass --repo DIR).');
    expect(run.stderr).not.toContain('PYTHON-PREREQUISITES-MISSING');
    refusedBeforeAnyGate(run);
    const json = await rebuild(missing, python, ['--json']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ command: 'rebuild', error: { code: 'repo-not-found', action: 'choose-repository' } });
    console.log(`[reliability] rebuild --repo <missing folder> -> exit ${run.code}: ${run.stderr.split('\n')[0]}`);
  });

  it('a --repo without alembic.ini says where it looked, for diagnose too', async () => {
    const empty = path.join(scratch, 'no-alembic');
    fs.mkdirSync(empty, { recursive: true });
    for (const run of [await rebuild(empty, python), await runCli(['diagnose', '--repo', empty, '--host', '127.0.0.1', '--port', String(pg.settings.port)])]) {
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain(`error: No alembic.ini found in ${empty}`);
      expect(run.stderr).toContain('(pass --repo DIR).');
      refusedBeforeAnyGate(run);
    }
  });

  it('a --python file that does not exist: exit 2 naming the interpreter, as the repository is', async () => {
    const missing = path.join(scratch, 'no-venv', 'bin', 'python');
    const run = await rebuild(repo, missing);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(`error: The interpreter you chose, ${missing}, does not exist.`);
    expect(run.stderr).toContain('leave --python out');
    refusedBeforeAnyGate(run);
    console.log(`[reliability] rebuild --python <missing file> -> exit ${run.code}: ${run.stderr.split('\n')[0]}`);
  });

  it('an alembic.ini Alembic cannot read (an unclosed section header): that line, and how to write it', async () => {
    const broken = copyFixture(SKELDIR_FOUNDATION);
    try {
      const ini = path.join(broken, 'alembic.ini');
      const lines = fs.readFileSync(ini, 'utf8').split('\n');
      const at = lines.findIndex((line) => line === '[alembic]');
      expect(at).toBeGreaterThanOrEqual(0);
      lines[at] = '[alembic';
      fs.writeFileSync(ini, lines.join('\n'));
      const run = await rebuild(broken, python);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain(`error: ${ini}, line ${at + 1}: "[alembic" is not a valid section header (it lacks the closing "]").`);
      expect(run.stderr).toContain('what to do: Write that line of alembic.ini as [alembic].');
      expect(run.stderr).not.toContain('pass --repo DIR');
      refusedBeforeAnyGate(run);
      console.log(`[reliability] rebuild with "[alembic" in alembic.ini -> exit ${run.code}: ${run.stderr.split('\n')[0]}`);
    } finally {
      fs.rmSync(path.dirname(broken), { recursive: true, force: true });
    }
  });
});

describe('the app’s diagnosis of a repository folder that does not exist', () => {
  it('says so in the repository step; the interpreter’s finding does not carry it', async () => {
    const missing = path.join(scratch, 'gone');
    const report = await runPipeline(
      { command: 'diagnose', gates: ['E1'], settings: pg.settings, profile: SKELDIR_PROFILE, repoDir: missing, pythonFlag: python },
      () => undefined,
    );
    const e1 = report.gates.find((gate) => gate.id === 'E1');
    expect(e1?.steps.find((step) => step.id === 'repository')?.detail).toContain(`The repository folder ${missing} does not exist.`);
    expect(e1?.steps.map((step) => step.id)).not.toContain('prerequisite-alembic-ini');
    const interpreter = report.findings.find((finding) => finding.id === 'PYTHON-PREREQUISITES-MISSING');
    expect(interpreter?.evidence ?? '').not.toMatch(/alembic\.ini/);
  });
});
