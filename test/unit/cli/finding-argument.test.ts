import { describe, expect, it } from 'vitest';
import { findingFromArgument } from '../../../electron/cli/finding-argument';

describe('findingFromArgument', () => {
  it('takes an id as the report prints it, or typed in lower case', () => {
    expect(findingFromArgument('ROLES-MISSING')).toEqual({ ok: true, value: 'ROLES-MISSING' });
    expect(findingFromArgument('roles-missing')).toEqual({ ok: true, value: 'ROLES-MISSING' });
    expect(findingFromArgument('fm2')).toEqual({ ok: true, value: 'FM2' });
  });

  it('answers a near miss with the id it is closest to, and lists the fixable findings', () => {
    const result = findingFromArgument('ROLES-MISING');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('usage');
    expect(result.error.message).toBe('Unknown finding "ROLES-MISING". Did you mean "ROLES-MISSING"?');
    expect(result.error.remediation).toContain('Findings with an automatic fix: FM1, FM2, FM3, ROLES-MISSING');
    // A finding with no automatic fix is not offered as one.
    expect(result.error.remediation).not.toContain('SERVER-UNREACHABLE');
  });

  it('answers a word of a long id with the ids that hold it', () => {
    const word = findingFromArgument('row-security');
    expect(word.ok || word.error.message).toBe('Unknown finding "row-security". Did you mean "MIGRATION-ROW-SECURITY-CHANGED"?');
    const shared = findingFromArgument('grants');
    expect(shared.ok || shared.error.message).toMatch(/^Unknown finding "grants"\. Did you mean "[A-Z0-9-]*GRANTS[A-Z0-9-]*"/);
  });

  it('says that the generic STEP-FAILED finding has no fix of its own, instead of calling it unknown', () => {
    const generic = findingFromArgument('step-failed');
    expect(generic.ok).toBe(false);
    if (generic.ok) return;
    expect(generic.error.message).toBe('STEP-FAILED has no automatic fix: it stands for a failed step that no catalogued finding explains.');
    expect(generic.error.action).toBe('run-diagnosis');
  });

  it('says how to name a finding when none is given, and suggests nothing for a word unlike any id', () => {
    const missing = findingFromArgument(undefined);
    expect(missing.ok || missing.error.message).toBe('Name the finding to fix, e.g. "skeldir-rebuild fix ROLES-MISSING".');
    const unlike = findingFromArgument('zzzzzzzzzzzz');
    expect(unlike.ok || unlike.error.message).toBe('Unknown finding "zzzzzzzzzzzz".');
  });
});
