import { describe, expect, it } from 'vitest';
import { SKELDIR_PROFILE } from '../../../shared/profile/skeldir-profile';
import { validateProfile } from '../../../shared/profile/validate-profile';

describe('profile validation', () => {
  it('the default Skeldir profile holds the guide\u2019s expectations', () => {
    expect(SKELDIR_PROFILE.database).toEqual({ name: 'skeldir_validation', owner: 'app_user' });
    expect(SKELDIR_PROFILE.roles.map((r) => r.name)).toEqual(['app_user', 'app_rw', 'app_ro']);
    expect(SKELDIR_PROFILE.gucs).toEqual([{ name: 'app.current_tenant_id', value: '00000000-0000-0000-0000-000000000000' }]);
    expect(SKELDIR_PROFILE.migrations.plan).toEqual(['202511131121', 'skeldir_foundation@head']);
    expect(SKELDIR_PROFILE.expectedTables).toHaveLength(6);
    expect(SKELDIR_PROFILE.ci.postgresMajor).toBe(15);
  });

  it('names every bad field by its path', () => {
    const bad = structuredClone(SKELDIR_PROFILE) as unknown as Record<string, unknown>;
    (bad.database as Record<string, unknown>).name = 'bad name!';
    (bad.roles as Array<Record<string, unknown>>)[1].name = 'x'.repeat(64);
    (bad.gucs as Array<Record<string, unknown>>)[0].name = 'notdotted';
    bad.applicationRole = 'nobody';
    delete bad.expectedTables;
    const result = validateProfile(bad);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('profile-invalid');
    const lines = result.error.detail?.split('\n') ?? [];
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^database\.name: "bad name!" may contain only letters/),
        expect.stringMatching(/^roles\[1\]\.name: .* is longer than 63 bytes/),
        expect.stringMatching(/^gucs\[0\]\.name: "notdotted" must look like "prefix\.name"/),
        expect.stringMatching(/^expectedTables: /),
      ]),
    );
  });

  it('names a field it does not know with the one it was probably meant to be; the remedy does not repeat the action\u2019s words', () => {
    const typo = structuredClone(SKELDIR_PROFILE) as unknown as Record<string, unknown>;
    typo.expectedTabels = typo.expectedTables;
    delete typo.expectedTables;
    typo.$schema = 'https://example.com/profile.schema.json';
    const result = validateProfile(typo);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const lines = result.error.detail?.split('\n') ?? [];
    expect(lines).toContain('expectedTabels: not a field of a profile (did you mean expectedTables?)');
    expect(lines.some((line) => line.startsWith('$schema'))).toBe(false);
    expect(result.error.remediation).toBe('Fix the fields listed above in the profile file.');
    expect(result.error.action).toBe('choose-profile');
  });

  it('refuses a field it does not know at any depth, though the profile is otherwise valid: a typo must not run with the default', () => {
    const typo = structuredClone(SKELDIR_PROFILE) as unknown as Record<string, unknown>;
    typo.validationTimeoutSecond = 900;
    (typo.migrations as Record<string, unknown>).plans = ['head'];
    (typo.roles as Array<Record<string, unknown>>)[2].pasword = 'x';
    typo.$comment = 'kept: editors write $-keys';
    const result = validateProfile(typo, 'profile file p.json');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toBe('The profile file p.json has 3 invalid fields.');
    // In the file's own order.
    expect(result.error.detail?.split('\n')).toEqual([
      'roles[2].pasword: not a field of a profile (did you mean password?)',
      'migrations.plans: not a field of a profile (did you mean plan?)',
      'validationTimeoutSecond: not a field of a profile (did you mean validationTimeoutSeconds?)',
    ]);
    expect(validateProfile({ ...SKELDIR_PROFILE, $schema: 'x', $comment: 'y' }).ok).toBe(true);
  });

  it('keeps 2 cache templates unless the profile says otherwise, and says why 0 or 50 is refused', () => {
    expect(SKELDIR_PROFILE.templatesKept).toBe(2);
    const { templatesKept: _default, ...withoutField } = SKELDIR_PROFILE;
    const parsed = validateProfile(withoutField);
    expect(parsed.ok && parsed.value.templatesKept).toBe(2);
    const three = validateProfile({ ...SKELDIR_PROFILE, templatesKept: 3 });
    expect(three.ok && three.value.templatesKept).toBe(3);
    const none = validateProfile({ ...SKELDIR_PROFILE, templatesKept: 0 });
    expect(!none.ok && none.error.detail).toBe(
      'templatesKept: must keep at least 1 template (to rebuild without one, run that rebuild without the template cache, or clear the cache)',
    );
    const many = validateProfile({ ...SKELDIR_PROFILE, templatesKept: 50 });
    expect(!many.ok && many.error.detail).toBe('templatesKept: keeps at most 20 templates (each one is a full copy of the database)');
  });

  it('rejects an injection attempt in a role name', () => {
    const bad = structuredClone(SKELDIR_PROFILE);
    bad.roles[0].name = 'app_user"; DROP DATABASE x; --';
    const result = validateProfile(bad);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.detail).toMatch(/roles\[0\]\.name/);
  });

  it('cross-field rules: owner and grants must name a profile role', () => {
    const bad = structuredClone(SKELDIR_PROFILE);
    bad.database.owner = 'app_admin';
    bad.databaseGrants[0].role = 'ghost';
    const result = validateProfile(bad);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.detail).toContain('database.owner: "app_admin" is not one of the profile\'s roles (app_user, app_rw, app_ro)');
      expect(result.error.detail).toContain('databaseGrants[0].role: "ghost" is not one of the profile\'s roles');
    }
  });
});
