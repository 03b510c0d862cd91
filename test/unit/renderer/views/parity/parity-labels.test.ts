import { describe, expect, it } from 'vitest';
import { ciExpectationsFromProfile } from '../../../../../shared/parity/ci-expectations';
import { SKELDIR_PROFILE } from '../../../../../shared/profile/skeldir-profile';
import { ciSourceLabel, PARITY_LOOK } from '../../../../../renderer/views/parity/parity-labels';

describe('ciSourceLabel', () => {
  it('names the one workflow file CI was read from, counts several, or names the profile', () => {
    const fromProfile = ciExpectationsFromProfile(SKELDIR_PROFILE);
    expect(ciSourceLabel(fromProfile)).toBe('from the profile');
    expect(ciSourceLabel({ ...fromProfile, source: 'workflow', files: ['.github/workflows/ci.yml'] })).toBe('from .github/workflows/ci.yml');
    expect(ciSourceLabel({ ...fromProfile, source: 'workflow', files: ['.github/workflows/a.yml', '.github/workflows/b.yml'] })).toBe('from 2 workflow files');
  });

  it('gives every status an icon and a word, never a colour alone', () => {
    expect(PARITY_LOOK.ok).toEqual({ status: 'pass', label: 'parity' });
    expect(PARITY_LOOK.warn.label).toBe('check');
    expect(PARITY_LOOK.error).toEqual({ status: 'fail', label: 'differs' });
  });
});
