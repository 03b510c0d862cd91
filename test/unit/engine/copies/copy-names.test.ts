import { describe, expect, it } from 'vitest';
import { templateName } from '../../../../electron/engine/gates/cache/cache-key';
import { spareName } from '../../../../electron/engine/gates/cache/template-cache';
import { snapshotPrefix, snapshotStamp, snapshotTimeIn, trashPrefix, templatePrefix } from '../../../../electron/engine/copies/copy-names';

describe('names of database copies', () => {
  const key = 'ab'.repeat(32);

  it('keep the profile database name in full when it is short', () => {
    expect(templateName('skeldir_validation', key)).toBe('skeldir_validation__tpl_abababababab');
    expect(spareName('skeldir_validation', key)).toBe('skeldir_validation__spare_abababababab');
    expect(trashPrefix('skeldir_validation')).toBe('skeldir_validation__trash_');
    expect(snapshotPrefix('skeldir_validation')).toBe('skeldir_validation__snap_');
    expect(templateName('skeldir_validation', key).startsWith(templatePrefix('skeldir_validation'))).toBe(true);
  });

  it('never exceed 63 bytes with their longest suffix, so PostgreSQL never truncates two into one', () => {
    const db = 'd'.repeat(63);
    expect(templateName(db, key)).toHaveLength(63);
    expect(spareName(db, key)).toHaveLength(63);
    expect(`${trashPrefix(db)}12345678`).toHaveLength(63);
    expect(`${snapshotPrefix(db)}20261125160000_99`).toHaveLength(63);
  });

  it('carry a digest of the full name when it is shortened, so two names sharing a long prefix never share a copy name', () => {
    const a = 'skeldir_validation_feature_branch_number_0001';
    const b = 'skeldir_validation_feature_branch_number_0002';
    expect(snapshotPrefix(a)).not.toBe(snapshotPrefix(b));
    expect(templateName(a, key)).not.toBe(templateName(b, key));
    expect(spareName(a, key)).not.toBe(spareName(b, key));
    expect(trashPrefix(a)).not.toBe(trashPrefix(b));
    expect(`${snapshotPrefix(a)}20261125160000_99`.length).toBeLessThanOrEqual(63);
  });

  it('a snapshot name\u2019s time is written and read in one place: the stamp a name is made with reads back', () => {
    const at = new Date('2026-12-07T23:09:56.789Z');
    const name = `${snapshotPrefix('skeldir_validation')}${snapshotStamp(at)}`;
    expect(name).toBe('skeldir_validation__snap_20261207230956');
    expect(snapshotTimeIn(name)).toBe('2026-12-07T23:09:56.000Z');
    expect(snapshotTimeIn(`${name}_2`)).toBe('2026-12-07T23:09:56.000Z');
    // A template of a database whose own name holds __snap_: not a snapshot's ending.
    expect(snapshotTimeIn('db__snap_x__tpl_0123456789ab')).toBeNull();
  });
});
