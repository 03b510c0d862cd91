import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { profileSchema } from '../../shared/profile/schema';
import { SKELDIR_PROFILE } from '../../shared/profile/skeldir-profile';
import {
  addRevision,
  adminQuery,
  isAlive,
  openTransactions,
  processesMentioning,
  SAMPLE_HEAD,
  spawnCli,
  useClusterAtFirstStep,
  waitFor,
} from './reliability-helpers';

/**
 * Issue 19, point 3: SIGTERM, SIGHUP or SIGKILL of the CLI during R4 or R5 used to leave
 * the Alembic driver or pytest running under pid 1 (the driver finished the migration on
 * its own), and pytest's temp folder behind. Now the children run under a parent watch
 * (end-of-file on a stdin pipe) and the CLI treats SIGTERM/SIGHUP like Ctrl-C: within
 * seconds no process of ours is left, the migration's transaction is rolled back and the
 * report folder is gone.
 */
const SLOW = '202512190000';
const MARK = `skeldir-orphan-grandchild-${process.pid}`;
const children: ChildProcess[] = [];
let profileFile: string;
const cluster = useClusterAtFirstStep((repo) => {
  addRevision(
    repo,
    SLOW,
    SAMPLE_HEAD,
    [
      'op.execute("CREATE TABLE slow_marker (id int)")',
      'import subprocess',
      `subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)", "${MARK}-r4"])`,
      'time.sleep(600)',
    ],
    'slow',
  );
  fs.writeFileSync(
    path.join(repo, 'backend', 'tests', 'test_reliability_slow.py'),
    [
      'import subprocess, sys, time',
      '',
      'def test_slow():',
      `    subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)", "${MARK}-r5"])`,
      '    time.sleep(600)',
      '',
    ].join('\n'),
  );
  profileFile = path.join(path.dirname(repo), 'slow-profile.json');
  fs.writeFileSync(
    profileFile,
    JSON.stringify(profileSchema.parse({ ...SKELDIR_PROFILE, validationSuites: ['backend/tests/test_reliability_slow.py'], validationTimeoutSeconds: 600 })),
  );
});
afterAll(() => {
  for (const child of children) if (child.pid && isAlive(child.pid)) child.kill('SIGKILL');
  for (const pid of processesMentioning(MARK)) process.kill(pid, 'SIGKILL');
});

function startCli(args: string[]): { child: ChildProcess; closed: Promise<number | null> } {
  const child = spawnCli(cluster, args);
  children.push(child);
  child.stdout?.resume();
  child.stderr?.resume();
  return { child, closed: new Promise((resolve) => child.on('close', resolve)) };
}

const ours = () => [
  ...processesMentioning(path.join(cluster.repo, 'alembic.ini')),
  ...processesMentioning('test_reliability_slow.py'),
  ...processesMentioning(MARK),
];

describe('children die with their parent', () => {
  for (const signal of ['SIGTERM', 'SIGHUP', 'SIGKILL'] as const) {
    it(`${signal} of the CLI mid-R4: Alembic and its grandchild end, the migration rolls back`, async () => {
      const { child, closed } = startCli(['migrate']);
      expect(await waitFor(async () => (await openTransactions(cluster.pg.settings)) > 0 && processesMentioning(`${MARK}-r4`).length > 0, 90_000, 100)).toBe(
        true,
      );
      const killedAt = Date.now();
      child.kill(signal);
      const code = await closed;
      const gone = await waitFor(() => ours().length === 0, 10_000, 50);
      const seconds = ((Date.now() - killedAt) / 1000).toFixed(1);
      console.log(
        `[reliability] ${signal} of the CLI mid-R4 -> CLI ${code === null ? 'killed' : `exit ${code}`}; processes of ours left after ${seconds} s: ${ours().length}`,
      );
      expect(gone).toBe(true);
      // Once its cancel has finished, the CLI ends with the shell's code for the signal (128 + its number).
      if (signal === 'SIGTERM' || signal === 'SIGHUP') expect(code).toBe({ SIGTERM: 143, SIGHUP: 129 }[signal]);
      expect(await waitFor(async () => (await openTransactions(cluster.pg.settings)) === 0, 10_000)).toBe(true);
      const version = await adminQuery<{ version_num: string }>(cluster.pg.settings, 'SELECT version_num FROM alembic_version', [], 'skeldir_validation');
      expect(version.map((r) => r.version_num)).not.toContain(SLOW);
      const marker = await adminQuery<{ t: string | null }>(
        cluster.pg.settings,
        "SELECT to_regclass('public.slow_marker')::text AS t",
        [],
        'skeldir_validation',
      );
      expect(marker[0].t).toBeNull();
    }, 150_000);
  }

  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    it(`${signal} of the CLI mid-R5: pytest and its grandchild end, its report folder is removed`, async () => {
      const { child, closed } = startCli(['validate', '--profile', profileFile]);
      expect(await waitFor(() => processesMentioning(`${MARK}-r5`).length > 0, 90_000, 100)).toBe(true);
      const pytestPid = processesMentioning('test_reliability_slow.py').find((pid) => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--junitxml='));
      expect(pytestPid).toBeDefined();
      const junit =
        fs
          .readFileSync(`/proc/${pytestPid}/cmdline`, 'utf8')
          .split('\0')
          .find((arg) => arg.startsWith('--junitxml='))
          ?.slice('--junitxml='.length) ?? '';
      const reportDir = path.dirname(junit);
      expect(reportDir.startsWith(os.tmpdir())).toBe(true);
      expect(fs.existsSync(reportDir)).toBe(true);
      child.kill(signal);
      const code = await closed;
      const gone = await waitFor(() => ours().length === 0 && !fs.existsSync(reportDir), 10_000, 50);
      console.log(
        `[reliability] ${signal} of the CLI mid-R5 -> CLI ${code === null ? 'killed' : `exit ${code}`}; pytest left: ${ours().length}; report folder left: ${fs.existsSync(reportDir)}`,
      );
      expect(gone).toBe(true);
    }, 150_000);
  }
});
