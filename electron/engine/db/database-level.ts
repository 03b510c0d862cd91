import type { Client } from 'pg';
import format from 'pg-format';
import type { Profile } from '../../../shared/profile/schema';
import { sqlFormat, sqlText } from './sql-files';

/** A database as pg_database describes it (see e1/select-database for what each flag means). */
export interface DatabaseRow {
  owner: string;
  /** An interrupted DROP DATABASE left it: no connection and no copy, only a drop works. */
  invalid: boolean;
  /** Closed to new connections (ALLOW_CONNECTIONS false): a drop or restore under way, or one that never reopened it. */
  closed: boolean;
}

/** The database `name` as pg_database has it, or null when there is none. */
export async function readDatabaseRow(client: Client, name: string): Promise<DatabaseRow | null> {
  const row = (await client.query<DatabaseRow>(sqlText('e1/select-database'), [name])).rows[0];
  return row ? { owner: row.owner, invalid: row.invalid, closed: row.closed } : null;
}

/**
 * What a database carries outside its own files: privileges on it (`datacl`) and its
 * database-level settings. `CREATE DATABASE … TEMPLATE` copies neither, so bootstrap's
 * E3 steps and the cache's prepared copies apply them through these two functions.
 * Both only add what is missing and return what they changed. A session opened before a
 * settings change does not see it: callers that keep sessions forget the database's ones.
 */
export async function grantMissingDatabasePrivileges(client: Client, database: string, grants: Profile['databaseGrants']): Promise<string[]> {
  const granted: string[] = [];
  if (grants.length === 0) return granted;
  const held = (
    await client.query<{ role_name: string; privilege_type: string }>(sqlText('e3/select-database-privileges'), [database, grants.map((grant) => grant.role)])
  ).rows;
  for (const grant of grants) {
    const have = held.filter((row) => row.role_name === grant.role).map((row) => row.privilege_type);
    const missing = grant.privileges.filter((p) => !have.includes(p));
    if (missing.length === 0) continue;
    await client.query(sqlFormat('e3/grant-database-privileges', missing.join(', '), database, grant.role));
    granted.push(`${missing.join(', ')} to ${grant.role}`);
  }
  return granted;
}

/** Database-level settings of a database, as "name=value". */
export async function databaseSettings(client: Client, database: string): Promise<string[]> {
  return (await client.query<{ setting: string }>(sqlText('e1/select-database-settings'), [database])).rows.map((r) => r.setting);
}

/**
 * The profile's settings the database lacks, set; returns them as "name = 'value'".
 * `current`: the database's settings as read by the caller (read now when not given).
 */
export async function setMissingDatabaseSettings(client: Client, database: string, gucs: Profile['gucs'], current?: string[]): Promise<string[]> {
  current ??= await databaseSettings(client, database);
  const have = current;
  const missing = gucs.filter((guc) => !have.includes(`${guc.name}=${guc.value}`));
  await setDatabaseSettings(client, database, missing);
  return missing.map((guc) => `${guc.name} = '${guc.value}'`);
}

/** "name=value" settings re-applied to a database (after a clone, which does not copy them). */
export async function applySettings(client: Client, database: string, settings: string[]): Promise<void> {
  const parsed = settings.flatMap((setting) => {
    const at = setting.indexOf('=');
    return at > 0 ? [{ name: setting.slice(0, at), value: setting.slice(at + 1) }] : [];
  });
  await setDatabaseSettings(client, database, parsed);
}

async function setDatabaseSettings(client: Client, database: string, settings: { name: string; value: string }[]): Promise<void> {
  for (const setting of settings) await client.query(sqlFormat('e3/set-database-setting', database, quoteSettingName(setting.name), setting.value));
}

/** `app.current_tenant_id` → "app"."current_tenant_id", each part quoted. */
export function quoteSettingName(name: string): string {
  return name
    .split('.')
    .map((part) => format('%I', part))
    .join('.');
}
