import { describe, expect, it } from 'vitest';
import { JOB_NAMES, runName } from '../../../shared/contract/jobs';

describe('runName: how a refusal names the run that holds the database', () => {
  it('names each job as the app names it, and the other commands that change a database', () => {
    expect(runName('migrate')).toBe(JOB_NAMES.migrate);
    expect(runName('upgrade-to')).toBe('An upgrade');
    expect(runName('fix GUC-MISSING')).toBe('A fix');
    expect(runName('restore skeldir_validation__snap_20261207')).toBe('A restore');
    expect(runName('prune')).toBe('A prune of snapshots');
  });

  it('falls back to "A rebuild" when the holder is not known (the server-side lock alone, an old lock file)', () => {
    expect(runName(undefined)).toBe('A rebuild');
    expect(runName('something newer')).toBe('A rebuild');
  });
});
