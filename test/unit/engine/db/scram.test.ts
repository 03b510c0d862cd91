import * as crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { scramSha256Verifier, verifierMatches } from '../../../../electron/engine/db/scram';

describe('SCRAM-SHA-256 verifier', () => {
  it('has PostgreSQL\u2019s format and never contains the password', () => {
    const verifier = scramSha256Verifier('app_user');
    expect(verifier).toMatch(/^SCRAM-SHA-256\$4096:[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}:[A-Za-z0-9+/=]{44}$/);
    expect(verifier).not.toContain('app_user');
  });

  it('matches RFC 7677\u2019s derivation for a fixed salt (StoredKey = H(HMAC(SaltedPassword, "Client Key")))', () => {
    const salt = Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64');
    const verifier = scramSha256Verifier('pencil', salt);
    const salted = crypto.pbkdf2Sync('pencil', salt, 4096, 32, 'sha256');
    const stored = crypto.createHash('sha256').update(crypto.createHmac('sha256', salted).update('Client Key').digest()).digest('base64');
    expect(verifier.split('$')[2].split(':')[0]).toBe(stored);
    // Same salt, same verifier: deterministic apart from the random salt.
    expect(scramSha256Verifier('pencil', salt)).toBe(verifier);
  });

  it('verifierMatches: the password of a verifier matches, another does not, asked once or again; md5 or junk never matches', async () => {
    const verifier = scramSha256Verifier('pencil');
    for (let round = 0; round < 2; round++) {
      expect(await verifierMatches(verifier, 'pencil')).toBe(true);
      expect(await verifierMatches(verifier, 'Pencil')).toBe(false);
      expect(await verifierMatches(scramSha256Verifier('other'), 'pencil')).toBe(false);
    }
    expect(await verifierMatches('md5' + 'a'.repeat(32), 'pencil')).toBe(false);
    expect(await verifierMatches(null, 'pencil')).toBe(false);
  });
});
