import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshSessions, RunSessions } from '../../../../electron/engine/db/run-sessions';
import { bootstrap } from '../../../../electron/engine/gates/bootstrap/bootstrap';
import { diagnose } from '../../../../electron/engine/gates/diagnosis/diagnose';
import { openClient } from '../../../../electron/engine/db/connect';
import { appError } from '../../../../shared/errors/app-error';
import { SKELDIR_PROFILE } from '../../../../shared/profile/skeldir-profile';
import { collectEvents } from '../../../support/collect-events';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../../../support/throwaway-postgres';

let pg: ThrowawayPostgres;
beforeAll(async () => {
  pg = await startThrowawayPostgres();
});
afterAll(async () => {
  await pg?.stop();
});

const profile = SKELDIR_PROFILE;

describe('E2–E3 bootstrap against a real PostgreSQL', () => {
  it('diagnoses an empty server: roles and database missing', async () => {
    const { emit } = collectEvents();
    const result = await diagnose(freshSessions(pg.settings), profile, emit);
    expect(result.gate.status).toBe('passed');
    expect(result.state.database?.exists).toBe(false);
    expect(result.state.database?.missingRoles).toEqual(['app_user', 'app_rw', 'app_ro']);
    expect(result.findings.map((f) => f.id)).toEqual(['ROLES-MISSING', 'DATABASE-MISSING']);
    expect(result.findings[0].evidence).toContain('app_user, app_rw, app_ro');
    expect(result.findings[0].remediation?.action).toBe('run-bootstrap');
  });

  it('creates everything from nothing with 8 numbered steps', async () => {
    const { emit, events } = collectEvents();
    const result = await bootstrap(freshSessions(pg.settings), profile, { dropExisting: false, confirmed: false, allowRemote: false }, emit);
    expect(result.ok).toBe(true);
    expect(result.gates.map((g) => [g.id, g.status])).toEqual([
      ['E2', 'passed'],
      ['E3', 'passed'],
    ]);
    const steps = events.filter((e) => e.kind === 'step-finished');
    expect(steps.map((e) => (e.kind === 'step-finished' ? `${e.index}/${e.total}` : ''))).toEqual(['1/4', '2/4', '3/4', '4/4', '1/4', '2/4', '3/4', '4/4']);
    const all = result.gates.flatMap((g) => g.steps);
    expect(all[0].status).toBe('skipped');
    expect(all.slice(1).every((s) => s.status === 'passed')).toBe(true);
    expect(all[4].detail).toBe('created skeldir_validation owned by app_user');
  });

  it('is idempotent: the second run changes nothing and every step says already', async () => {
    const { emit } = collectEvents();
    const result = await bootstrap(freshSessions(pg.settings), profile, { dropExisting: false, confirmed: false, allowRemote: false }, emit);
    expect(result.ok).toBe(true);
    const all = result.gates.flatMap((g) => g.steps);
    expect(all.slice(1).map((s) => s.status)).toEqual(Array(7).fill('already'));
    for (const step of all.slice(1)) expect(step.detail).toMatch(/already/);
  });

  it('diagnosis after bootstrap: three roles, owner app_user, GUC set, app_user can log in', async () => {
    const { emit } = collectEvents();
    const { state, findings } = await diagnose(freshSessions(pg.settings), profile, emit);
    expect(state.database).toMatchObject({
      exists: true,
      owner: 'app_user',
      roles: ['app_ro', 'app_rw', 'app_user'],
      missingRoles: [],
      guc: { 'app.current_tenant_id': '00000000-0000-0000-0000-000000000000' },
      missingGucs: [],
      alembicVersion: null,
    });
    expect(state.database?.connections[0]).toMatchObject({ role: 'app_user', ok: true });
    expect(findings.map((f) => f.id)).toEqual(['TABLES-MISSING']);
  });

  it('grants exactly the profile privileges (checked through the catalog)', async () => {
    const admin = await openClient(pg.settings, { database: 'skeldir_validation' });
    if (!admin.ok) throw new Error(admin.error.message);
    try {
      const rows = await admin.value.query(
        `SELECT has_database_privilege('app_ro', 'skeldir_validation', 'CONNECT') AS ro_connect,
                has_database_privilege('app_rw', 'skeldir_validation', 'TEMPORARY') AS rw_temp,
                has_schema_privilege('app_rw', 'public', 'USAGE') AS rw_usage,
                has_schema_privilege('app_user', 'public', 'CREATE') AS user_create`,
      );
      expect(rows.rows[0]).toEqual({ ro_connect: true, rw_temp: true, rw_usage: true, user_create: true });
    } finally {
      await admin.value.end();
    }
  });

  it('resets a role password that drifted from the profile', async () => {
    const admin = await openClient(pg.settings, { database: 'postgres' });
    if (!admin.ok) throw new Error(admin.error.message);
    await admin.value.query(`ALTER ROLE app_user PASSWORD 'something-else'`);
    await admin.value.end();
    const before = await diagnose(freshSessions(pg.settings), profile, () => undefined);
    expect(before.findings.map((f) => f.id)).toContain('APP-ROLE-LOGIN-FAILED');
    const result = await bootstrap(freshSessions(pg.settings), profile, { dropExisting: false, confirmed: false, allowRemote: false }, () => undefined);
    const step = result.gates[0].steps.find((s) => s.id === 'create-role-app_user');
    expect(step?.status).toBe('passed');
    expect(step?.detail).toMatch(/password and LOGIN were reset/);
    const after = await diagnose(freshSessions(pg.settings), profile, () => undefined);
    expect(after.findings.map((f) => f.id)).not.toContain('APP-ROLE-LOGIN-FAILED');
  });

  it('refuses to drop without confirmation, and drops with it', async () => {
    const refused = await bootstrap(freshSessions(pg.settings), profile, { dropExisting: true, confirmed: false, allowRemote: false }, () => undefined);
    expect(refused.ok).toBe(false);
    expect(refused.gates[0].steps[0]).toMatchObject({ status: 'failed' });
    expect(refused.gates[0].steps[0].detail).toMatch(/needs your confirmation/);
    expect(refused.gates[1].status).toBe('blocked');

    const dropped = await bootstrap(freshSessions(pg.settings), profile, { dropExisting: true, confirmed: true, allowRemote: false }, () => undefined);
    expect(dropped.ok).toBe(true);
    expect(dropped.gates[0].steps[0]).toMatchObject({ status: 'passed', detail: 'dropped skeldir_validation' });
    expect(dropped.gates[1].steps[0]).toMatchObject({ status: 'passed' });
  });

  it('refuses a drop on a host that resolves to a non-loopback address, before connecting anywhere', async () => {
    const resolved: string[] = [];
    const result = await bootstrap(
      freshSessions({ ...pg.settings, host: 'db.internal' }),
      profile,
      {
        dropExisting: true,
        confirmed: true,
        allowRemote: false,
        resolver: async (host) => {
          resolved.push(host);
          return ['10.1.2.3'];
        },
      },
      () => undefined,
    );
    expect(resolved).toEqual(['db.internal']);
    expect(result.ok).toBe(false);
    // Had it tried to connect, the error would be about resolving db.internal.
    expect(result.error?.code).toBe('remote-host-refused');
    expect(result.error?.message).toContain('10.1.2.3');
  });

  it('ownership marker: a database made by hand is dropped only after the second confirmation', async () => {
    const admin = await openClient(pg.settings, { database: 'postgres' });
    if (!admin.ok) throw new Error(admin.error.message);
    await admin.value.query('DROP DATABASE IF EXISTS skeldir_validation WITH (FORCE)');
    await admin.value.query('CREATE DATABASE skeldir_validation OWNER app_user');
    await admin.value.end();
    const refused = await bootstrap(freshSessions(pg.settings), profile, { dropExisting: true, confirmed: true, allowRemote: false }, () => undefined);
    expect(refused.ok).toBe(false);
    expect(refused.gates[0].steps[0].detail).toMatch(
      /^Not dropped: skeldir_validation was not created by Skeldir Rebuild \(it has no ownership marker\).*needs a second confirmation/,
    );
    expect(refused.gates[0].steps[0].action).toBe('confirm-drop-unmarked');

    const dropped = await bootstrap(
      freshSessions(pg.settings),
      profile,
      { dropExisting: true, confirmed: true, confirmedUnmarked: true, allowRemote: false },
      () => undefined,
    );
    expect(dropped.ok).toBe(true);
    // The database bootstrap made carries the marker, so the next drop needs no second confirmation.
    const again = await bootstrap(freshSessions(pg.settings), profile, { dropExisting: true, confirmed: true, allowRemote: false }, () => undefined);
    expect(again.ok).toBe(true);
    expect(again.gates[0].steps[0].detail).toMatch(/^dropped skeldir_validation/);
  });

  it('a swap that does not happen (the drop vetoed after the other sessions ended) leaves the database untouched and the spare copy in place', async () => {
    const admin = await openClient(pg.settings, { database: 'postgres' });
    if (!admin.ok) throw new Error(admin.error.message);
    const spare = 'skeldir_validation__spare_test';
    await admin.value.query(`CREATE DATABASE ${spare} TEMPLATE skeldir_validation`);
    try {
      const oid = async () => (await admin.value.query<{ oid: number }>("SELECT oid FROM pg_database WHERE datname = 'skeldir_validation'")).rows[0]?.oid;
      const before = await oid();
      const sessions = new RunSessions(pg.settings);
      const vetoed = await bootstrap(
        sessions,
        profile,
        {
          dropExisting: true,
          confirmed: true,
          allowRemote: false,
          fromTemplate: { name: 'skeldir_validation__tpl_test', key: 'k'.repeat(64), spare },
          deferDrop: true,
          beforeDrop: async (_client, endSessions) => {
            await endSessions();
            return { ok: false, error: appError('snapshot-failed', 'No room for the snapshot (test).') };
          },
        },
        () => undefined,
      );
      sessions.close();
      expect(vetoed.ok).toBe(false);
      expect(vetoed.gates[0].steps[0].detail).toBe('Not dropped: No room for the snapshot (test).');
      expect(await oid()).toBe(before);
      expect((await admin.value.query('SELECT 1 FROM pg_database WHERE datname = $1', [spare])).rows).toHaveLength(1);
    } finally {
      await admin.value.query(`DROP DATABASE IF EXISTS ${spare}`);
      await admin.value.end();
    }
  });
});
