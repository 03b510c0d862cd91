import * as fs from 'node:fs';
import { freshSessions } from '../../../electron/engine/db/run-sessions';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../../shared/report/report';
import { withClient } from '../../../electron/engine/db/connect';
import { startEmbeddedServer } from '../../../electron/engine/embedded/embedded-server';
import { takeSnapshot } from '../../../electron/engine/gates/snapshots/safety-snapshots';
import { runCli } from '../../support/run-cli';
import { makeTempDir } from '../../support/temp-dir';

// A fresh folder for the bundled server, as on a machine that never ran the tool.
const embeddedDir = makeTempDir('skeldir-cli-embedded-');
fs.chmodSync(embeddedDir, 0o755);
afterAll(() => fs.rmSync(embeddedDir, { recursive: true, force: true }));

function report(stdout: string): RunReport {
  return JSON.parse(stdout) as RunReport;
}

describe('skeldir-rebuild diagnose / bootstrap with the bundled PostgreSQL', () => {
  it('diagnose --embedded --json on a fresh machine names the missing roles and database', async () => {
    const run = await runCli(['diagnose', '--embedded', '--embedded-dir', embeddedDir, '--json']);
    expect(run.code).toBe(0);
    const r = report(run.stdout);
    expect(r.command).toBe('diagnose');
    expect(r.server).toMatchObject({ host: '127.0.0.1', embedded: true, major: 15 });
    expect(r.gates.map((g) => [g.id, g.status])).toEqual([['E1', 'passed']]);
    expect(r.findings.map((f) => f.id)).toEqual(['ROLES-MISSING', 'DATABASE-MISSING']);
    expect(r.findings[0].evidence).toBe('Missing roles: app_user, app_rw, app_ro.');
    expect(r.database).toMatchObject({ exists: false, roles: [], missingRoles: ['app_user', 'app_rw', 'app_ro'] });
    expect(run.stderr).toContain('E1 Diagnosis');
    // The bundled server's password never reaches the output.
    const saved = JSON.parse(fs.readFileSync(path.join(embeddedDir, 'superuser.json'), 'utf8')) as { password: string };
    expect(run.stdout + run.stderr).not.toContain(saved.password);
    expect(fs.statSync(path.join(embeddedDir, 'superuser.json')).mode & 0o077).toBe(0);
  });

  it('bootstrap --embedded --yes, then diagnose shows three roles, the owner and the GUC', async () => {
    const boot = await runCli(['bootstrap', '--embedded', '--embedded-dir', embeddedDir, '--yes', '--json']);
    expect(boot.code).toBe(0);
    const b = report(boot.stdout);
    expect(b.gates.map((g) => [g.id, g.status])).toEqual([
      ['E1', 'passed'],
      ['E2', 'passed'],
      ['E3', 'passed'],
    ]);
    expect(boot.stderr).toMatch(/\[4\/4\] .* Define custom GUC parameters/);

    const diag = await runCli(['diagnose', '--embedded', '--embedded-dir', embeddedDir, '--json']);
    const d = report(diag.stdout);
    expect(d.database).toMatchObject({
      exists: true,
      owner: 'app_user',
      roles: ['app_ro', 'app_rw', 'app_user'],
      missingRoles: [],
      guc: { 'app.current_tenant_id': '00000000-0000-0000-0000-000000000000' },
    });
    expect(d.findings.map((f) => f.id)).toEqual(['TABLES-MISSING']);
  });

  it('a gate that cannot start fails the command with exit 1 and says why, with the bundled server too', async () => {
    const run = await runCli(['rebuild', '--embedded', '--embedded-dir', embeddedDir, '--skip-validation']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/\nR4 Migrations\n/);
    expect(run.stderr).toContain('Preconditions: No backend repository is set: choose the folder that holds alembic.ini (pass --repo DIR).');
  });

  it('restore of a snapshot that does not exist says so before asking anything (exit 2)', async () => {
    const run = await runCli(['restore', 'skeldir_validation__snap_typo', '--embedded', '--embedded-dir', embeddedDir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('There is no snapshot "skeldir_validation__snap_typo" of skeldir_validation.');
    expect(run.stderr).toContain('No snapshots exist yet: one is taken when a rebuild drops a database that holds rows.');
    expect(run.stderr).not.toContain('needs your confirmation');
  });

  it('prune asks before it drops a snapshot: without --yes and no terminal it removes nothing (exit 2) and names what would go; with --yes it removes just those', async () => {
    // Two snapshots of the bootstrapped database, taken as a rebuild takes them.
    const server = await startEmbeddedServer({ dir: embeddedDir, persistent: true });
    if (!server.ok) throw new Error(server.error.message);
    const taken: string[] = [];
    try {
      const sessions = freshSessions(server.value.settings);
      const made = await withClient(sessions, { database: 'postgres' }, 'test setup', async (admin) => {
        for (let i = 0; i < 2; i++) {
          const snapshot = await takeSnapshot(sessions, admin, 'skeldir_validation', 'app_user');
          if (!snapshot.ok) throw new Error(snapshot.error.message);
          taken.push(snapshot.value.name);
        }
      });
      if (!made.ok) throw new Error(made.error.message);
    } finally {
      await server.value.stop();
    }
    const listed = async () =>
      (
        JSON.parse((await runCli(['snapshots', '--embedded', '--embedded-dir', embeddedDir, '--json'])).stdout) as { snapshots: { name: string }[] }
      ).snapshots.map((s) => s.name);
    expect(await listed()).toEqual(taken);

    const noKeep = await runCli(['prune', '--embedded', '--embedded-dir', embeddedDir]);
    expect(noKeep.code).toBe(2);
    expect(noKeep.stderr).toContain('prune needs --keep N (how many of the newest snapshots to keep).');
    expect(noKeep.stderr).toContain('what to do: For example: skeldir-rebuild prune --keep 2');

    const refused = await runCli(['prune', '--keep', '1', '--embedded', '--embedded-dir', embeddedDir]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`Not removed: ${taken[0]} would be dropped, and that needs your confirmation.`);
    expect(refused.stderr).toContain('pass --yes when not interactive');
    expect(await listed()).toEqual(taken);

    const none = await runCli(['prune', '--keep', '2', '--embedded', '--embedded-dir', embeddedDir]);
    expect(none.code).toBe(0);
    expect(none.stdout).toContain('nothing to remove (2 snapshots, keeping the newest 2)');

    const pruned = await runCli(['prune', '--keep', '1', '--yes', '--embedded', '--embedded-dir', embeddedDir]);
    expect(pruned.code).toBe(0);
    expect(pruned.stdout).toContain(`removed ${taken[0]}`);
    expect(await listed()).toEqual([taken[1]]);
  });

  it('bad usage exits 2 with a specific message', async () => {
    const run = await runCli(['diagnose', '--port', 'abc']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--port must be a number from 1 to 65535, not "abc".');
  });

  it('no password and nothing listening: E1 says nothing listens and how to start one, without asking for a password first', async () => {
    const run = await runCli(['diagnose', '--host', '127.0.0.1', '--port', '1']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('PostgreSQL is not running on 127.0.0.1:1 (connection refused).');
    expect(run.stderr).toContain('finding SERVER-UNREACHABLE');
    expect(run.stderr).not.toMatch(/password/i);
  });

  it('an invalid profile file exits 2 and names the field', async () => {
    const file = path.join(embeddedDir, 'bad-profile.json');
    fs.writeFileSync(file, JSON.stringify({ name: 'x', database: { name: 'ok_db', owner: 'nobody' } }));
    const run = await runCli(['diagnose', '--embedded', '--embedded-dir', embeddedDir, '--profile', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/roles: /);
    expect(run.stderr).toMatch(/what to do: Fix the fields listed above/);
  });
});
