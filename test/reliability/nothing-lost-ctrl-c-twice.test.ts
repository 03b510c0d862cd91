import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { profileSchema } from '../../shared/profile/schema';
import { SKELDIR_PROFILE } from '../../shared/profile/skeldir-profile';
import { CLI_PATH } from '../support/run-cli';
import { isAlive, processesMentioning, useClusterAtFirstStep, waitFor } from './reliability-helpers';

/**
 * A double Ctrl-C during R5 (two SIGINTs 50 ms apart to the CLI's process group, as a
 * terminal sends them) exits 130 at once, by design. It used to leave pytest's empty report
 * folder (`skeldir-r5-*`) behind, and its output ended at "cancelling: …" with no word on
 * what stopping at once meant. Now the folder goes with the process, one last line says it
 * stopped at once and what that leaves, and nothing we started outlives it: not even a
 * grandchild of the test that ignores SIGTERM.
 */
const MARK = `skeldir-ctrl-c-twice-grandchild-${process.pid}`;
const SUITE = 'backend/tests/test_reliability_ctrl_c_twice.py';
const children: ChildProcess[] = [];
let profileFile: string;
const cluster = useClusterAtFirstStep((repo) => {
  fs.writeFileSync(
    path.join(repo, ...SUITE.split('/')),
    [
      'import subprocess, sys, time',
      '',
      'def test_slow():',
      `    subprocess.Popen([sys.executable, "-c", "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(600)", "${MARK}"])`,
      '    time.sleep(600)',
      '',
    ].join('\n'),
  );
  profileFile = path.join(path.dirname(repo), 'ctrl-c-twice-profile.json');
  fs.writeFileSync(profileFile, JSON.stringify(profileSchema.parse({ ...SKELDIR_PROFILE, validationSuites: [SUITE], validationTimeoutSeconds: 600 })));
});
afterAll(() => {
  for (const child of children) if (child.pid && isAlive(child.pid)) process.kill(-child.pid, 'SIGKILL');
  for (const pid of processesMentioning(MARK)) process.kill(pid, 'SIGKILL');
});

const ours = () => [...processesMentioning(path.basename(SUITE)), ...processesMentioning(MARK)];

/** The folder pytest writes its JUnit report to, read from the running pytest's command line. */
function reportDirOfRunningPytest(): string {
  const cmdline = processesMentioning(path.basename(SUITE))
    .map((pid) => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0'))
    .find((args) => args.some((arg) => arg.startsWith('--junitxml=')));
  const junit = cmdline?.find((arg) => arg.startsWith('--junitxml='))?.slice('--junitxml='.length) ?? '';
  return path.dirname(junit);
}

describe('a second Ctrl-C during R5', () => {
  it('exits 130 at once, says so in a last line, removes the report folder and leaves no process of ours', async () => {
    // Its own process group, as a shell gives a foreground command; the signals go to the whole group.
    const child = spawn(
      process.execPath,
      [
        CLI_PATH,
        'validate',
        '--profile',
        profileFile,
        '--host',
        '127.0.0.1',
        '--port',
        String(cluster.pg.settings.port),
        '--repo',
        cluster.repo,
        '--python',
        cluster.python,
      ],
      {
        env: { ...process.env, PGPASSWORD: '', SKELDIR_SUPERUSER_PASSWORD: cluster.pg.settings.password, NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      },
    );
    children.push(child);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));

    expect(await waitFor(() => processesMentioning(MARK).length > 0, 90_000, 100), output).toBe(true);
    const reportDir = reportDirOfRunningPytest();
    expect(path.basename(reportDir)).toMatch(/^skeldir-r5-/);
    expect(reportDir.startsWith(os.tmpdir())).toBe(true);
    expect(fs.existsSync(reportDir)).toBe(true);

    const group = -(child.pid as number);
    process.kill(group, 'SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 50));
    process.kill(group, 'SIGINT');
    const code = await closed;
    // Removed on the way out, not by a process that might still be ending.
    const folderLeft = fs.existsSync(reportDir);
    const gone = await waitFor(() => ours().length === 0, 10_000, 50);
    const lines = output.trim().split('\n');
    console.log(
      `[reliability] two SIGINTs 50 ms apart to the CLI's group mid-R5 -> exit ${code}; report folder left: ${folderLeft}; processes of ours left: ${ours().length}; last lines: ${lines.slice(-2).join(' | ')}`,
    );
    expect(code).toBe(130);
    expect(folderLeft).toBe(false);
    expect(gone).toBe(true);
    // pytest gets the terminal's SIGINT too: its own last output may be relayed after the cancelling line, never after the last.
    expect(lines.some((line) => /^cancelling: ending the running process tree/.test(line))).toBe(true);
    expect(lines.at(-1)).toMatch(/^stopped at once \(a second signal\): .*pytest .*Run `skeldir-rebuild diagnose` to see the state\.$/);
  }, 180_000);
});
