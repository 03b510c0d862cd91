import { spawn } from 'node:child_process';
import { freshSessions } from '../../electron/engine/db/run-sessions';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memorySecretStore, SettingsStore } from '../../electron/app-service/settings-store';
import { createAppService } from '../../electron/app-service/app-service';
import { bootstrap } from '../../electron/engine/gates/bootstrap/bootstrap';
import { defaultLockDir } from '../../electron/engine/safety/rebuild-lock';
import type { JobEvent } from '../../shared/contract/events';
import { profileSchema, type Profile } from '../../shared/profile/schema';
import { SKELDIR_PROFILE } from '../../shared/profile/skeldir-profile';
import type { RunReport } from '../../shared/report/report';
import { ensureTestPython } from '../support/python-env';
import { CLI_PATH, runCli } from '../support/run-cli';
import { SKELDIR_FOUNDATION } from '../support/sample-project';
import { recognisablePassword, startThrowawayPostgres, type ThrowawayPostgres } from '../support/throwaway-postgres';
import { resetSkeldir, waitFor } from './reliability-helpers';
import { makeTempDir } from '../support/temp-dir';

/**
 * Secrets: role passwords reach the server only as SCRAM verifiers (a server logging
 * every statement never sees them in clear); the application password reaches Alembic
 * and pytest only through their environment, survives URL and configparser escaping
 * (`p%40:ss@/`), and appears in no output, log, report, process argument or app state.
 */
let pg: ThrowawayPostgres;
let python: string;
const serverLog: string[] = [];
const dir = makeTempDir('skeldir-secrets-');
const serverLogFile = path.join(dir, 'server.log');

beforeAll(async () => {
  [pg, python] = await Promise.all([
    // Every statement logged: the strictest server there is. The log is the server's stderr, which the
    // harness hands us line by line (logging_collector would move it to a file, but the bundled server
    // detects "ready to accept connections" on stderr and would then never see it), and which we keep
    // in a file too, as a log a user would attach to a bug report.
    startThrowawayPostgres({
      serverSettings: { log_statement: 'all', log_min_error_statement: 'info', log_connections: 'on' },
      onLog: (line) => {
        serverLog.push(line);
        fs.appendFileSync(serverLogFile, `${line}\n`);
      },
    }),
    ensureTestPython(),
  ]);
});
afterAll(async () => {
  await pg?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

function logFileText(): string {
  return fs.readFileSync(serverLogFile, 'utf8');
}

function profileWithPasswords(passwords: [string, string, string]): Profile {
  const profile = structuredClone(SKELDIR_PROFILE);
  profile.roles.forEach((role, i) => (role.password = passwords[i]));
  return profileSchema.parse(profile);
}

/** Every spelling a password could leak in: as typed, URL-encoded, configparser-escaped. */
function spellings(password: string): string[] {
  return [...new Set([password, encodeURIComponent(password), encodeURIComponent(password).replace(/%/g, '%%')])];
}

function expectAbsent(haystack: string, passwords: string[], where: string): void {
  for (const password of passwords)
    for (const spelling of spellings(password)) expect(haystack.includes(spelling), `${where} contains ${spelling}`).toBe(false);
}

describe('role passwords never reach the server in clear', () => {
  it('with log_statement on, the server log has CREATE ROLE / ALTER ROLE with SCRAM verifiers only', async () => {
    await resetSkeldir(pg.settings);
    const first = [recognisablePassword('role-a'), recognisablePassword('role-b'), recognisablePassword('role-c')] as [string, string, string];
    const created = await bootstrap(
      freshSessions(pg.settings),
      profileWithPasswords(first),
      { dropExisting: false, confirmed: false, allowRemote: false },
      () => undefined,
    );
    expect(created.ok).toBe(true);
    // A drifted password is reset with ALTER ROLE … PASSWORD: the second path that sends one.
    const second = [recognisablePassword('reset-a'), first[1], first[2]] as [string, string, string];
    const reset = await bootstrap(
      freshSessions(pg.settings),
      profileWithPasswords(second),
      { dropExisting: false, confirmed: false, allowRemote: false },
      () => undefined,
    );
    expect(reset.gates[0].steps.find((s) => s.id === 'create-role-app_user')?.detail).toBe(
      "app_user already existed; its password and LOGIN were reset to the profile's",
    );

    const log = logFileText();
    // The statements were logged (so the check below means something)…
    expect(log).toMatch(/statement: CREATE ROLE app_user LOGIN PASSWORD 'SCRAM-SHA-256\$4096:/);
    expect(log).toMatch(/statement: ALTER ROLE app_user LOGIN PASSWORD 'SCRAM-SHA-256\$4096:/);
    // …and no password is in them, in any spelling.
    expectAbsent(log, [...first, ...second], 'the server log');
    console.log('[reliability] bootstrap on a server with log_statement=all -> log shows only SCRAM-SHA-256 verifiers, no password');
  });
});

describe('a full rebuild with recognisable passwords, grepped everywhere', () => {
  it('the app password `p%40:ss@/…` migrates and validates; no password in outputs, logs, reports, argv or the app state', async () => {
    await resetSkeldir(pg.settings);
    const appPassword = `p%40:ss@/${recognisablePassword('app')}`;
    const rolePasswords = [appPassword, recognisablePassword('rw'), recognisablePassword('ro')] as [string, string, string];
    const secrets = [...rolePasswords, pg.settings.password];
    const profileFile = path.join(dir, 'profile.json');
    fs.writeFileSync(profileFile, JSON.stringify(profileWithPasswords(rolePasswords)));

    const child = spawn(
      process.execPath,
      [
        CLI_PATH,
        'rebuild',
        '--host',
        '127.0.0.1',
        '--port',
        String(pg.settings.port),
        '--repo',
        SKELDIR_FOUNDATION,
        '--python',
        python,
        '--profile',
        profileFile,
        '--drop-existing',
        '--yes',
        '--json',
      ],
      {
        env: { ...process.env, SKELDIR_SUPERUSER_PASSWORD: pg.settings.password, PGPASSWORD: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    // Every process's argv while the rebuild runs, as `ps` would show them, and the environment of
    // the CLI's own children (other test files may run their own Alembic meanwhile).
    const argv = new Set<string>();
    const childArgv: string[] = [];
    const childEnv = new Map<number, string>();
    const ours = new Set<number>();
    const others = new Set<number>();
    let watching = true;
    const parentOf = (pid: number): number => {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    };
    const descendsFromCli = (pid: number): boolean => {
      for (let current = pid, depth = 0; current > 1 && depth < 10; depth += 1) {
        if (current === child.pid || ours.has(current)) return true;
        current = parentOf(current);
      }
      return false;
    };
    const watch = (async () => {
      while (watching) {
        for (const entry of fs.readdirSync('/proc')) {
          const pid = Number(entry);
          if (!/^\d+$/.test(entry) || others.has(pid)) continue;
          try {
            // Read every time: a child shows its parent's argv until it execs.
            const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
            argv.add(cmdline);
            if (!ours.has(pid)) {
              if (!descendsFromCli(pid)) {
                others.add(pid);
                continue;
              }
              ours.add(pid);
            }
            if (/skeldir_alembic_driver\.py|-m pytest/.test(cmdline) && !childEnv.has(pid)) {
              childArgv.push(cmdline);
              childEnv.set(pid, fs.readFileSync(`/proc/${entry}/environ`, 'utf8'));
            }
          } catch {
            // gone meanwhile
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    })();

    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    watching = false;
    await watch;

    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout) as RunReport;
    expect(report.gates.map((g) => `${g.id}:${g.status}`)).toEqual(['E1:passed', 'E2:passed', 'E3:passed', 'R4:passed', 'VERIFY:passed', 'R5:passed']);
    // The escaped password really worked: Alembic and pytest logged in with it.
    expect(report.database?.connections.find((c) => c.role === 'app_user')?.ok).toBe(true);

    expectAbsent(stdout, secrets, 'the --json report');
    // The diagnostic bundles a user attaches to a bug report, after the rebuild, in both formats.
    for (const out of ['bundle.json', 'bundle.html']) {
      const saved = await runCli(
        [
          'report',
          '--host',
          '127.0.0.1',
          '--port',
          String(pg.settings.port),
          '--repo',
          SKELDIR_FOUNDATION,
          '--profile',
          profileFile,
          '--out',
          path.join(dir, out),
        ],
        {
          SKELDIR_SUPERUSER_PASSWORD: pg.settings.password,
        },
      );
      expect(saved.code, saved.stderr).toBe(0);
      expectAbsent(fs.readFileSync(path.join(dir, out), 'utf8') + saved.stdout + saved.stderr, secrets, `the diagnostic bundle ${out}`);
    }
    expectAbsent(stderr, secrets, 'the terminal output');
    expect(logFileText()).toMatch(/statement: /);
    expectAbsent(logFileText(), secrets, 'the server log');
    // Files the tool writes on its own: the lock folder (and nothing else outside the repo).
    for (const file of fs.existsSync(defaultLockDir()) ? fs.readdirSync(defaultLockDir()) : []) {
      try {
        expectAbsent(fs.readFileSync(path.join(defaultLockDir(), file), 'utf8'), secrets, `lock file ${file}`);
      } catch {
        // another run's file, released meanwhile
      }
    }
    // Process arguments: visible to every user of the machine.
    expect(argv.size).toBeGreaterThan(0);
    expect(childArgv.length).toBeGreaterThanOrEqual(2); // Alembic once, pytest per suite
    expectAbsent([...argv].join('\n'), secrets, 'a process argument list');
    // The children got the application password in their environment only, and never the superuser's
    // (R5 may hand a suite CI's PG* variables, rewritten to the application role: PGPASSWORD is then the app's).
    expect(childEnv.size).toBeGreaterThan(0);
    for (const env of childEnv.values()) {
      expect(env).toContain(`DATABASE_URL=postgresql://app_user:${encodeURIComponent(appPassword)}@`);
      expect(env).not.toContain(pg.settings.password);
      expect(env).not.toMatch(/(^|\0)SKELDIR_SUPERUSER_PASSWORD=[^\0]/);
      const pgPassword = /(?:^|\0)PGPASSWORD=([^\0]*)/.exec(env)?.[1];
      if (pgPassword) {
        expect(pgPassword).toBe(appPassword);
        expect(env).toMatch(/(?:^|\0)PGUSER=app_user(?:\0|$)/);
      }
    }
    console.log(
      `[reliability] full rebuild with app password ${JSON.stringify('p%40:ss@/…')} -> exit ${code}, all gates passed; password in none of: report, diagnostic bundles (JSON, HTML), terminal, server log (log_statement=all), lock files, ${argv.size} process argument lists`,
    );
  }, 240_000);

  it('the app state the renderer sees holds no password: settings, connection test, job events and the report', async () => {
    const store = new SettingsStore(path.join(dir, 'settings.json'), memorySecretStore());
    store.write({
      connection: { mode: 'server', host: '127.0.0.1', port: pg.settings.port, superuser: 'postgres', password: pg.settings.password },
      repoDir: SKELDIR_FOUNDATION,
      python,
      profilePath: '',
    });
    const service = createAppService({ store });
    const events: JobEvent[] = [];
    service.onJobEvent((event) => events.push(event));
    try {
      const seen: unknown[] = [];
      seen.push(await service.dispatch('getSettings', {}));
      seen.push(await service.dispatch('testConnection', {}));
      const job = await service.handlers.startJob({ kind: 'diagnose' });
      if (!job.ok) throw new Error(job.error.message);
      expect(await waitFor(() => events.some((e) => e.kind === 'job-finished'), 60_000)).toBe(true);
      seen.push(events, await service.dispatch('getRecentRuns', {}));
      const state = JSON.stringify(seen);
      expect(state).toContain('"hasPassword":true');
      expectAbsent(state, [pg.settings.password, ...SKELDIR_PROFILE.roles.map((r) => `:${r.password}@`)], 'the renderer-facing state');
    } finally {
      await service.dispose();
    }
  });
});
