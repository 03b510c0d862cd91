import { Client } from 'pg';
import format from 'pg-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSaslprep, scramSha256Verifier, verifierMatches } from '../../../../electron/engine/db/scram';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../../../support/throwaway-postgres';

/**
 * Non-ASCII role passwords against PostgreSQL's own SASLprep: the server hashes each
 * password itself (ALTER ROLE … PASSWORD 'clear text'), and our verifier check must
 * accept exactly that password; the verifier we compute must equal the server's for
 * the same salt.
 */
let pg: ThrowawayPostgres;
let client: Client;

beforeAll(async () => {
  pg = await startThrowawayPostgres();
  client = new Client({ host: '127.0.0.1', port: pg.settings.port, user: pg.settings.superuser, password: pg.settings.password, database: 'postgres' });
  await client.connect();
  await client.query('CREATE ROLE saslprep_probe LOGIN');
});

afterAll(async () => {
  await client?.end();
  await pg?.stop();
});

const PASSWORDS: Array<[string, string]> = [
  ['accented letters', 'p\u00e4ssw\u00f6rd-\u00e9t\u00e9'],
  ['a soft hyphen (mapped to nothing)', 'pass\u00adword-123'],
  ['a no-break space (mapped to a space)', 'two\u00a0words-42'],
  ['full-width letters (NFKC)', '\uff50\uff41\uff53\uff53-99'],
  ['a roman numeral (NFKC to two letters)', 'chapter-\u2168-x'],
  ['a control character beside non-ASCII (prohibited: used raw)', 'bell\u0007-\u00e9-raw'],
];

describe('SCRAM verifiers and PostgreSQL\u2019s SASLprep', () => {
  for (const [what, password] of PASSWORDS) {
    it(`a password with ${what}: the server\u2019s verifier matches it, ours equals the server\u2019s for the same salt`, async () => {
      await client.query(format('ALTER ROLE saslprep_probe PASSWORD %L', password));
      const stored = (await client.query<{ rolpassword: string }>("SELECT rolpassword FROM pg_authid WHERE rolname = 'saslprep_probe'")).rows[0].rolpassword;
      expect(stored).toMatch(/^SCRAM-SHA-256\$4096:/);
      expect(await verifierMatches(stored, password)).toBe(true);
      const salt = Buffer.from(stored.split('$')[1].split(':')[1], 'base64');
      expect(scramSha256Verifier(password, salt)).toBe(stored);
    });
  }

  it('ASCII passwords are used as they are, control characters included (PostgreSQL skips SASLprep for them)', () => {
    expect(postgresSaslprep('plain-ASCII \u0007 pw')).toBe('plain-ASCII \u0007 pw');
    expect(postgresSaslprep('pass\u00adword')).toBe('password');
  });
});
