import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshSessions } from '../../../../electron/engine/db/run-sessions';
import { openClient } from '../../../../electron/engine/db/connect';
import { freePort } from '../../../../electron/engine/embedded/free-port';
import { diagnose } from '../../../../electron/engine/gates/diagnosis/diagnose';
import { SKELDIR_PROFILE } from '../../../../shared/profile/skeldir-profile';
import type { ConnectionSettings } from '../../../../shared/contract/connection';
import { startProtocolStub } from '../../../support/protocol-stub-server';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../../../support/throwaway-postgres';

let pg: ThrowawayPostgres;
beforeAll(async () => {
  pg = await startThrowawayPostgres();
});
afterAll(async () => {
  await pg?.stop();
});

async function failureOf(settings: ConnectionSettings, database = 'postgres', user?: string, password?: string) {
  const result = await openClient(settings, { database, user, password });
  if (result.ok) {
    await result.value.end();
    throw new Error('expected the connection to fail');
  }
  return result.error;
}

describe('connection failures each get their own message and fix', () => {
  it('refused: nothing listens on the port', async () => {
    const port = await freePort();
    const error = await failureOf({ ...pg.settings, port });
    expect(error.code).toBe('connection-refused');
    expect(error.message).toBe(`PostgreSQL is not running on 127.0.0.1:${port} (connection refused).`);
    expect(error.remediation).toMatch(/Start the PostgreSQL service/);
  });

  it('refused on "localhost", where Node tries ::1 and 127.0.0.1 and reports an AggregateError', async () => {
    const port = await freePort();
    const error = await failureOf({ ...pg.settings, host: 'localhost', port });
    expect(error.code).toBe('connection-refused');
    expect(error.message).toContain(`localhost:${port}`);
  });

  it('wrong superuser password (28P01)', async () => {
    const error = await failureOf({ ...pg.settings, password: 'not-the-password' });
    expect(error.code).toBe('connection-auth-failed');
    expect(error.message).toBe(`PostgreSQL on 127.0.0.1:${pg.settings.port} rejected the password for role "postgres".`);
    expect(error.remediation).toBe(
      'Enter the superuser password you chose when installing PostgreSQL. If "postgres" is not your superuser, name the superuser instead.',
    );
    // Each front names its own way to give it (the CLI: SKELDIR_SUPERUSER_PASSWORD, PGPASSWORD or its prompt).
    expect(error.action).toBe('enter-superuser-password');
    expect(JSON.stringify(error)).not.toContain('not-the-password');
  });

  it('the advice follows which login failed, not how its role is named', async () => {
    const admin = await openClient(pg.settings, { database: 'postgres' });
    if (!admin.ok) throw new Error(admin.error.message);
    try {
      await admin.value.query("CREATE ROLE app_user LOGIN PASSWORD 'the-app-password'");
    } finally {
      await admin.value.end();
    }
    // An application role given as the superuser (PGUSER=app_user, say) with the superuser's password.
    const asSuperuser = await failureOf({ ...pg.settings, superuser: 'app_user' });
    expect(asSuperuser.action).toBe('enter-superuser-password');
    expect(asSuperuser.remediation).toContain('If "app_user" is not your superuser, name the superuser instead.');
    // The same role logging in as itself with a password that is not its own: bootstrap resets it.
    const asItself = await failureOf(pg.settings, 'postgres', 'app_user', 'not-its-password');
    expect(asItself.action).toBeUndefined();
    expect(asItself.remediation).toBe('Run bootstrap to reset "app_user"\'s password to the profile\'s, or fix the password in the profile.');
  });

  it('unknown database (3D000)', async () => {
    const error = await failureOf(pg.settings, 'no_such_db');
    expect(error.code).toBe('connection-unknown-database');
    expect(error.remediation).toMatch(/bootstrap/);
    expect(error.action).toBe('run-bootstrap');
  });

  it('server starting up (57P03)', async () => {
    const stub = await startProtocolStub({ sqlState: '57P03', message: 'the database system is starting up' });
    try {
      const error = await failureOf({ ...pg.settings, port: stub.port });
      expect(error.code).toBe('connection-starting-up');
      expect(error.remediation).toMatch(/Wait a few seconds/);
    } finally {
      await stub.close();
    }
  });

  it('the message is chosen by SQLSTATE, not by text: a localised 57P03 still maps', async () => {
    const stub = await startProtocolStub({ sqlState: '57P03', message: 'le syst\u00e8me de base de donn\u00e9es se lance' });
    try {
      expect((await failureOf({ ...pg.settings, port: stub.port })).code).toBe('connection-starting-up');
    } finally {
      await stub.close();
    }
  });

  it('timeout: a server that accepts and never answers', async () => {
    const stub = await startProtocolStub('silent');
    try {
      const error = await failureOf({ ...pg.settings, port: stub.port });
      expect(error.code).toBe('connection-timeout');
      expect(error.message).toContain(`127.0.0.1:${stub.port}`);
    } finally {
      await stub.close();
    }
  }, 30_000);

  it('unknown host name', async () => {
    const error = await failureOf({ ...pg.settings, host: 'no-such-host.invalid' });
    expect(error.code).toBe('connection-unknown-host');
    expect(error.remediation).toMatch(/127\.0\.0\.1/);
  });

  it('E1 on an unreachable server fails its gate with a SERVER-UNREACHABLE finding that says what to do', async () => {
    const port = await freePort();
    const result = await diagnose(freshSessions({ ...pg.settings, port }), SKELDIR_PROFILE, () => undefined);
    expect(result.gate.status).toBe('failed');
    expect(result.gate.error?.code).toBe('connection-refused');
    expect(result.findings.map((f) => f.id)).toEqual(['SERVER-UNREACHABLE']);
    expect(result.findings[0].evidence).toMatch(/not running .*Start the PostgreSQL service/);
  });

  it('a non-superuser login is told it cannot bootstrap', async () => {
    const admin = await openClient(pg.settings, { database: 'postgres' });
    if (!admin.ok) throw new Error(admin.error.message);
    await admin.value.query(`CREATE ROLE plain_user LOGIN PASSWORD 'plain'`);
    await admin.value.end();
    const result = await diagnose(freshSessions({ ...pg.settings, superuser: 'plain_user', password: 'plain' }), SKELDIR_PROFILE, () => undefined);
    const step = result.gate.steps.find((s) => s.id === 'superuser');
    expect(step?.status).toBe('warning');
    expect(step?.detail).toMatch(/not a superuser .*Connect as "postgres"/);
  });
});
