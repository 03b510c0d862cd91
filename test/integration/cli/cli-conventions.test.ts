import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../../shared/report/report';
import { ensureTestPython } from '../../support/python-env';
import { startProtocolStub, type StubServer } from '../../support/protocol-stub-server';
import { CLI_PATH, runCli } from '../../support/run-cli';
import { SKELDIR_FOUNDATION } from '../../support/sample-project';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../../support/throwaway-postgres';
import { makeTempDir } from '../../support/temp-dir';

/**
 * The CLI's conventions, as a shell user meets them: --version, COMMAND --help, JSON
 * usage errors, libpq's environment and password file against a real server, and Ctrl-C
 * (SIGINT): exit 130, after the running cancel has ended the work it started.
 */
const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string };
const tmp = makeTempDir('skeldir-cli-conventions-');
let pg: ThrowawayPostgres;
let python: string;

beforeAll(async () => {
  python = await ensureTestPython();
  pg = await startThrowawayPostgres();
});
afterAll(async () => {
  await pg?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Starts the CLI; sends SIGINT once stderr matches `interruptWhen`, or that many milliseconds after the start. */
function runInterrupted(
  args: string[],
  env: NodeJS.ProcessEnv,
  interruptWhen: RegExp | number,
  againAfterMs?: number,
): Promise<{ code: number | null; stdout: string; stderr: string; interruptedAt: number; endedAt: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_PATH, ...args], {
      env: { ...process.env, SKELDIR_SUPERUSER_PASSWORD: '', PGPASSWORD: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let interruptedAt = 0;
    const interrupt = () => {
      if (interruptedAt) return;
      interruptedAt = Date.now();
      child.kill('SIGINT');
      if (againAfterMs !== undefined) setTimeout(() => child.kill('SIGINT'), againAfterMs);
    };
    if (typeof interruptWhen === 'number') setTimeout(interrupt, interruptWhen);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      if (typeof interruptWhen !== 'number' && interruptWhen.test(stderr)) interrupt();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the CLI did not end:\n${stderr}`));
    }, 180_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, interruptedAt, endedAt: Date.now() });
    });
  });
}

describe('skeldir-rebuild conventions', () => {
  it('--version and -V print the package version; --json gives it as JSON', async () => {
    for (const flag of ['--version', '-V']) expect(await runCli([flag])).toMatchObject({ code: 0, stdout: `skeldir-rebuild ${pkg.version}\n` });
    const json = await runCli(['--version', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ name: 'skeldir-rebuild', version: pkg.version });
  });

  it('COMMAND --help prints that command\u2019s flags and an example; help COMMAND the same page', async () => {
    const page = await runCli(['rebuild', '--help']);
    expect(page.code).toBe(0);
    expect(page.stdout).toMatch(/^skeldir-rebuild rebuild /);
    for (const text of ['--drop-existing', '--skip-validation', '--no-progress', 'Example', 'skeldir-rebuild rebuild --embedded', 'PGPASSFILE'])
      expect(page.stdout).toContain(text);
    expect(page.stdout).not.toContain('compare A.json B.json');
    expect((await runCli(['help', 'rebuild'])).stdout).toBe(page.stdout);
    const graph = await runCli(['graph', '-h']);
    expect(graph.stdout).toMatch(/Example\n {2}skeldir-rebuild graph --repo/);
    expect(graph.stdout).not.toContain('--superuser');
  });

  it('usage errors exit 2 with a suggestion, and with --json also print one JSON error object on stdout', async () => {
    const command = await runCli(['rebuidl', '--json']);
    expect(command.code).toBe(2);
    const error = JSON.parse(command.stdout) as { command: null; error: { code: string; message: string } };
    expect(error).toMatchObject({ command: null, error: { code: 'usage' } });
    expect(error.error.message).toMatch(/Did you mean "rebuild"/);
    expect(command.stderr).toMatch(/Did you mean "rebuild"/);
    const flag = await runCli(['diagnose', '--embeded', '--json']);
    expect(flag.code).toBe(2);
    expect((JSON.parse(flag.stdout) as { error: { message: string } }).error.message).toMatch(/--embeded.*Did you mean --embedded/);
    const plain = await runCli(['rebuidl']);
    expect(plain.stdout).toBe('');
  });

  it('a negative number for a numeric flag gets that flag\u2019s own message, as a word does', async () => {
    const negative = await runCli(['prune', '--keep', '-1']);
    const word = await runCli(['prune', '--keep', 'abc']);
    expect(negative.code).toBe(2);
    expect(negative.stderr).toContain('error: --keep must be a whole number, 0 or more, not "-1".');
    expect(word.stderr).toContain('error: --keep must be a whole number, 0 or more, not "abc".');
    expect(negative.stderr).not.toMatch(/ambiguous/);
    const port = await runCli(['diagnose', '--port', '-5']);
    expect(port.code).toBe(2);
    expect(port.stderr).toContain('error: --port must be a number from 1 to 65535, not "-5".');
    expect(port.stderr).not.toMatch(/ambiguous/);
  });

  it('an unconfirmed drop with no terminal to ask on is refused before the bundled server starts, with the flag that confirms it', async () => {
    const embeddedDir = path.join(tmp, 'never-started');
    const refused = await runCli(['bootstrap', '--embedded', '--embedded-dir', embeddedDir, '--drop-existing']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('error: Dropping "skeldir_validation" needs your confirmation.');
    expect(refused.stderr).toContain('pass --yes when not interactive');
    expect(refused.stderr).not.toContain('starting the bundled PostgreSQL');
    expect(fs.existsSync(path.join(embeddedDir, 'data'))).toBe(false);
  });

  it('SKELDIR_EMBEDDED_DIR, the app\u2019s variable, chooses the bundled server\u2019s folder when --embedded-dir is not given', async () => {
    // Run as root, the server runs as "postgres", which must be able to enter the folder.
    const root = makeTempDir('skeldir embedded env ');
    fs.chmodSync(root, 0o755);
    const embeddedDir = path.join(root, 'from the environment');
    const run = await runCli(['diagnose', '--embedded'], { SKELDIR_EMBEDDED_DIR: embeddedDir });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`(data: ${path.join(embeddedDir, 'data')})`);
    fs.rmSync(root, { recursive: true, force: true });
  }, 120_000);

  it('PGHOST, PGPORT, PGUSER and the password file (PGPASSFILE) reach a real server without flags', async () => {
    const passfile = path.join(tmp, 'pgpass');
    fs.writeFileSync(
      passfile,
      `# written by the test\n127.0.0.1:${pg.settings.port}:postgres:${pg.settings.superuser}:${pg.settings.password.replace(/\\/g, '\\\\').replace(/:/g, '\\:')}\n`,
    );
    fs.chmodSync(passfile, 0o600);
    const env = { PGHOST: '127.0.0.1', PGPORT: String(pg.settings.port), PGUSER: pg.settings.superuser, PGPASSFILE: passfile };
    const run = await runCli(['diagnose', '--json'], env);
    const report = JSON.parse(run.stdout) as RunReport;
    expect(report.error, run.stderr).toBeUndefined();
    expect(report.server).toMatchObject({ host: '127.0.0.1', port: pg.settings.port });
    expect([0, 1]).toContain(run.code);
    expect(`${run.stdout}${run.stderr}`).not.toContain(pg.settings.password);

    // A password file others can read is ignored, as psql ignores it, and the CLI says why.
    fs.chmodSync(passfile, 0o644);
    const open = await runCli(['diagnose', '--json'], env);
    expect(open.code).toBe(2);
    expect(open.stderr).toMatch(/group or world access/);
    // What to do is to close the file, not to add the line it already has.
    expect(open.stderr).toContain(`make the password file private (chmod 600 "${passfile}")`);
    expect(open.stderr).not.toContain('add a line to the password file');
  });

  it('a second Ctrl-C while the first one’s cancel waits (here on a server that never answers) exits 130 at once', async () => {
    const stub: StubServer = await startProtocolStub('silent');
    try {
      const run = await runInterrupted(
        ['diagnose', '--host', '127.0.0.1', '--port', String(stub.port)],
        { SKELDIR_SUPERUSER_PASSWORD: 'not-used-by-the-stub' },
        /E1 /,
        1_000,
      );
      expect(run.stderr).toMatch(/cancelling/);
      expect(run.stderr).not.toMatch(/within the time limit/);
      expect(run.code).toBe(130);
      expect(run.endedAt - run.interruptedAt).toBeLessThan(5_000);
    } finally {
      await stub.close();
    }
  });

  it('Ctrl-C during a rebuild cancels the running migration, then exits 130 with the report of what ran', async () => {
    const run = await runInterrupted(
      [
        'rebuild',
        '--host',
        '127.0.0.1',
        '--port',
        String(pg.settings.port),
        '--superuser',
        pg.settings.superuser,
        '--repo',
        SKELDIR_FOUNDATION,
        '--python',
        python,
        '--drop-existing',
        '--yes',
        '--no-cache',
        '--json',
      ],
      { SKELDIR_SUPERUSER_PASSWORD: pg.settings.password },
      /\nR4 /,
    );
    expect(run.interruptedAt).toBeGreaterThan(0);
    expect(run.stderr).toMatch(/cancelling/);
    expect(run.code).toBe(130);
    const report = JSON.parse(run.stdout) as RunReport;
    expect(report.gates.map((g) => g.id)).toContain('E1');
    expect(report.gates.some((g) => g.status === 'passed')).toBe(true);
    expect(report.gates.find((g) => g.id === 'R4')?.status).not.toBe('passed');
  });
});
