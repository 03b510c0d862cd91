import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterIdentity } from '../../../../electron/engine/db/connect';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../../../support/throwaway-postgres';

/**
 * The cluster's system identifier, which the app uses to tell a run's server from Setup's
 * when host and port cannot: read by any role by default, null (not an error) where an
 * administrator revoked pg_control_system(), and the same after a restart on another port.
 */
let pg: ThrowawayPostgres;
let admin: Client;

function login(user: string, password: string): Client {
  return new Client({ host: '127.0.0.1', port: pg.settings.port, user, password, database: 'postgres' });
}

beforeAll(async () => {
  pg = await startThrowawayPostgres();
  admin = login(pg.settings.superuser, pg.settings.password);
  await admin.connect();
  await admin.query("CREATE ROLE identity_probe LOGIN PASSWORD 'identity-probe-pw'");
});

afterAll(async () => {
  await admin?.end();
  await pg?.stop();
});

describe('the cluster identity', () => {
  it('is the system identifier initdb chose, for the superuser and for a plain role alike', async () => {
    const expected = (await admin.query<{ id: string }>('SELECT system_identifier::text AS id FROM pg_control_system()')).rows[0].id;
    expect(expected).toMatch(/^\d{10,20}$/);
    expect(await clusterIdentity(admin)).toBe(expected);
    const plain = login('identity_probe', 'identity-probe-pw');
    await plain.connect();
    try {
      expect(await clusterIdentity(plain)).toBe(expected);
    } finally {
      await plain.end();
    }
  });

  it('is null, and the session still usable, where pg_control_system() is revoked from the role', async () => {
    await admin.query('REVOKE EXECUTE ON FUNCTION pg_control_system() FROM PUBLIC');
    const plain = login('identity_probe', 'identity-probe-pw');
    await plain.connect();
    try {
      expect(await clusterIdentity(plain)).toBeNull();
      expect((await plain.query<{ one: number }>('SELECT 1 AS one')).rows[0].one).toBe(1);
    } finally {
      await plain.end();
      await admin.query('GRANT EXECUTE ON FUNCTION pg_control_system() TO PUBLIC');
    }
  });
});
