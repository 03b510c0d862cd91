import * as fs from 'node:fs';
import { freshSessions } from '../../electron/engine/db/run-sessions';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrap } from '../../electron/engine/gates/bootstrap/bootstrap';
import type { Profile } from '../../shared/profile/schema';
import { SKELDIR_PROFILE } from '../../shared/profile/skeldir-profile';
import { runCli } from '../support/run-cli';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../support/throwaway-postgres';
import { adminQuery } from './reliability-helpers';
import { makeTempDir } from '../support/temp-dir';

/**
 * Bad input: the profile. Every invalid field is named by its path; names are checked
 * against PostgreSQL's identifier rules (≤ 63 bytes) and refused before anything runs;
 * and even a profile that skipped validation cannot inject SQL, because every name is
 * quoted (%I) and every value is a literal (%L) or a parameter.
 */
let pg: ThrowawayPostgres;
const dir = makeTempDir('skeldir-profiles-');
const INJECTED_ROLE = 'app_user"; DROP DATABASE x; --';
const INJECTED_DB = 'skeldir_validation"; DROP DATABASE x; --';
const INJECTED_VALUE = "'; DROP DATABASE x; --";

beforeAll(async () => {
  pg = await startThrowawayPostgres();
  // The canary: if any statement ever ran the injected text, this database would be gone.
  await adminQuery(pg.settings, ['CREATE DATABASE x']);
});
afterAll(async () => {
  await pg?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

function writeProfile(name: string, value: unknown): string {
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify(value, null, 2));
  return file;
}

async function serverObjects(): Promise<{ databases: string[]; roles: string[] }> {
  const databases = (await adminQuery<{ datname: string }>(pg.settings, 'SELECT datname FROM pg_database ORDER BY 1')).map((r) => r.datname);
  const roles = (await adminQuery<{ rolname: string }>(pg.settings, "SELECT rolname FROM pg_roles WHERE rolname NOT LIKE 'pg\\_%' ORDER BY 1")).map(
    (r) => r.rolname,
  );
  return { databases, roles };
}

const env = () => ({ SKELDIR_SUPERUSER_PASSWORD: pg.settings.password });
const flags = () => ['--host', '127.0.0.1', '--port', String(pg.settings.port)];

describe('an invalid profile names every bad field by its path', () => {
  it('through the CLI: exit 2, one line per field, nothing touched on the server', async () => {
    const bad = structuredClone(SKELDIR_PROFILE) as unknown as Record<string, any>;
    bad.database.name = 'skeldir validation';
    bad.database.owner = 'x'.repeat(64);
    bad.roles[0].name = INJECTED_ROLE;
    bad.roles[1].password = '';
    bad.applicationRole = 'nobody';
    bad.gucs[0].name = 'no_prefix';
    bad.migrations.target = '';
    bad.expectedTables[2] = '1tables';
    bad.validationTimeoutSeconds = -5;
    delete bad.ci;
    const before = await serverObjects();
    const run = await runCli(['bootstrap', ...flags(), '--yes', '--profile', writeProfile('every-field', bad)], env());
    expect(run.code).toBe(2);
    expect(run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
    const expected = [
      /database\.name: "skeldir validation" may contain only letters/,
      /database\.owner: "x{64}" is longer than 63 bytes/,
      /roles\[0\]\.name: "app_user\\?"; DROP DATABASE x; --" may contain only letters/,
      /roles\[1\]\.password: must not be empty/,
      /applicationRole: "nobody" is not one of the profile's roles/,
      /gucs\[0\]\.name: "no_prefix" must look like "prefix\.name"/,
      /migrations\.target: /,
      /expectedTables\[2\]: "1tables" may contain only letters/,
      /validationTimeoutSeconds: /,
      /ci: /,
    ];
    for (const line of expected) expect(run.stderr).toMatch(line);
    expect(run.stderr).toMatch(/error: The profile file .* has \d+ invalid fields\./);
    console.log(`[reliability] profile with 10 bad fields -> exit ${run.code}: ${run.stderr.split('\n')[0]} (each field on its own line)`);
    expect(await serverObjects()).toEqual(before);
  });

  it('a profile file that is not JSON: exit 2 with the parser\u2019s position', async () => {
    const file = path.join(dir, 'broken.json');
    fs.writeFileSync(file, '{ "name": "x", }');
    const run = await runCli(['diagnose', ...flags(), '--profile', file], env());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`error: The profile file ${file} is not valid JSON.`);
    expect(run.stderr).toMatch(/what to do: Fix the JSON syntax/);
  });
});

describe('names: validated, and quoted even when validation is bypassed', () => {
  it('a profile naming `app_user"; DROP DATABASE x; --` is refused before anything runs', async () => {
    const bad = structuredClone(SKELDIR_PROFILE);
    bad.roles[0].name = INJECTED_ROLE;
    bad.database.owner = INJECTED_ROLE;
    bad.applicationRole = INJECTED_ROLE;
    const before = await serverObjects();
    const run = await runCli(['bootstrap', ...flags(), '--yes', '--drop-existing', '--profile', writeProfile('injection', bad)], env());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/roles\[0\]\.name: "app_user\\?"; DROP DATABASE x; --" may contain only letters, digits, "_" and "\$"/);
    console.log(
      `[reliability] injected role name -> exit ${run.code}: ${run.stderr
        .split('\n')
        .find((l) => l.includes('roles[0].name'))
        ?.trim()}`,
    );
    expect(await serverObjects()).toEqual(before);
  });

  it('bypassing validation (a hand-built profile object), quoting alone creates exactly the named objects and nothing else', async () => {
    const before = await serverObjects();
    // Deliberately not parsed by the schema: what a bug that skipped validation would hand the engine.
    const profile: Profile = structuredClone(SKELDIR_PROFILE);
    profile.roles[0].name = INJECTED_ROLE;
    profile.roles[0].password = 'pa\'ss"word; DROP DATABASE x; --';
    profile.database = { name: INJECTED_DB, owner: INJECTED_ROLE };
    profile.applicationRole = INJECTED_ROLE;
    profile.databaseGrants[0].role = INJECTED_ROLE;
    profile.schemaGrants[0].role = INJECTED_ROLE;
    profile.gucs = [{ name: 'app.current_tenant_id', value: INJECTED_VALUE }];

    const first = await bootstrap(freshSessions(pg.settings), profile, { dropExisting: false, confirmed: false, allowRemote: false }, () => undefined);
    expect(first.ok, JSON.stringify(first.error)).toBe(true);
    // Again with a confirmed drop: DROP DATABASE … WITH (FORCE) on the odd name, then everything re-created.
    const second = await bootstrap(freshSessions(pg.settings), profile, { dropExisting: true, confirmed: true, allowRemote: false }, () => undefined);
    expect(second.ok, JSON.stringify(second.error)).toBe(true);
    expect(second.gates[0].steps[0].detail).toBe(`dropped ${INJECTED_DB}`);

    const after = await serverObjects();
    // The canary survived, and the only new objects are the ones the profile names, spelled exactly.
    expect(after.databases).toContain('x');
    expect(after.databases.filter((d) => !before.databases.includes(d))).toEqual([INJECTED_DB]);
    expect(after.roles.filter((r) => !before.roles.includes(r)).sort()).toEqual(['app_ro', 'app_rw', INJECTED_ROLE].sort());
    const owner = await adminQuery<{ owner: string }>(pg.settings, 'SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1', [
      INJECTED_DB,
    ]);
    expect(owner[0].owner).toBe(INJECTED_ROLE);
    const setting = await adminQuery<{ setconfig: string[] }>(
      pg.settings,
      'SELECT s.setconfig FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase WHERE d.datname = $1 AND s.setrole = 0',
      [INJECTED_DB],
    );
    expect(setting[0].setconfig).toEqual([`app.current_tenant_id=${INJECTED_VALUE}`]);
    // The odd password was sent as a SCRAM verifier and works as typed.
    const login = await adminQuery<{ ok: number }>(
      { ...pg.settings, superuser: INJECTED_ROLE, password: profile.roles[0].password },
      'SELECT 1 AS ok',
      [],
      INJECTED_DB,
    );
    expect(login[0].ok).toBe(1);
    console.log(
      `[reliability] injection names with validation bypassed -> created exactly ${JSON.stringify(INJECTED_DB)} and role ${JSON.stringify(INJECTED_ROLE)}; database "x" intact`,
    );
  });
});
