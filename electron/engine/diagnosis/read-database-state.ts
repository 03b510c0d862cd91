import type { Client } from 'pg';
import type { ConnectionSettings } from '../../../shared/contract/connection';
import type { AppError } from '../../../shared/errors/app-error';
import type { Profile } from '../../../shared/profile/schema';
import type { ConnectionCheck, DatabaseState, ServerInfo } from '../../../shared/report/report';
import { openClient, serverVersion } from '../db/connect';
import { statementError } from '../db/pg-errors';
import { sqlText } from '../db/sql-files';
import { queryAlembicVersion } from './read-alembic-version';

/**
 * Reads, and only reads, what the guide's E1 commands show: server version, roles,
 * the database and its owner, tables, database-level settings and alembic_version.
 * Used by E1, by VERIFY's evidence and by diagnostic bundles.
 */
export interface ServerState {
  server: ServerInfo;
  /** Null when the server could not be reached as the superuser. */
  database: DatabaseState | null;
  superuser: { role: string; isSuperuser: boolean; canCreateRole: boolean; canCreateDb: boolean } | null;
  /** The first error that stopped the read, if any. */
  error?: AppError;
}

export async function readServerState(settings: ConnectionSettings, profile: Profile): Promise<ServerState> {
  const server: ServerInfo = { host: settings.host, port: settings.port, version: null, major: null, embedded: settings.embedded };
  const admin = await openClient(settings, { database: 'postgres' });
  if (!admin.ok) return { server, database: null, superuser: null, error: admin.error };
  try {
    const { version, major } = await serverVersion(admin.value);
    server.version = version;
    server.major = major;
    const who = (await admin.value.query(sqlText('e1/select-current-role'))).rows[0] as
      | { role: string; rolsuper: boolean; rolcreaterole: boolean; rolcreatedb: boolean }
      | undefined;
    const superuser = who
      ? { role: who.role, isSuperuser: who.rolsuper, canCreateRole: who.rolcreaterole, canCreateDb: who.rolcreatedb }
      : null;
    const database = await readDatabase(admin.value, settings, profile);
    return { server, database, superuser };
  } catch (error) {
    return { server, database: null, superuser: null, error: statementError(error, 'reading the server state') };
  } finally {
    await admin.value.end().catch(() => undefined);
  }
}

async function readDatabase(admin: Client, settings: ConnectionSettings, profile: Profile): Promise<DatabaseState> {
  const name = profile.database.name;
  const roleNames = profile.roles.map((role) => role.name);
  const roles = (await admin.query<{ rolname: string }>(sqlText('e1/select-roles'), [roleNames])).rows.map((r) => r.rolname);
  const db = (await admin.query<{ owner: string }>(sqlText('e1/select-database'), [name])).rows[0];
  const state: DatabaseState = {
    name,
    exists: Boolean(db),
    owner: db?.owner ?? null,
    roles,
    missingRoles: roleNames.filter((role) => !roles.includes(role)),
    tables: [],
    missingTables: [...profile.expectedTables],
    otherTables: [],
    guc: null,
    missingGucs: profile.gucs.map((guc) => guc.name),
    alembicVersion: null,
    connections: [],
  };
  if (!db) return state;

  const settingsRows = (await admin.query<{ setting: string }>(sqlText('e1/select-database-settings'), [name])).rows;
  state.guc = Object.fromEntries(
    settingsRows.map((row) => {
      const at = row.setting.indexOf('=');
      return [row.setting.slice(0, at), row.setting.slice(at + 1)];
    }),
  );
  state.missingGucs = profile.gucs.filter((guc) => state.guc?.[guc.name] !== guc.value).map((guc) => guc.name);

  // Tables and alembic_version are read inside the database itself, as the superuser
  // (the application role may be unable to log in; that is reported separately).
  const inside = await openClient(settings, { database: name });
  if (inside.ok) {
    try {
      state.tables = (await inside.value.query<{ tablename: string }>(sqlText('e1/select-public-tables'))).rows.map((r) => r.tablename);
      state.alembicVersion = await queryAlembicVersion(inside.value);
    } catch (error) {
      // A login role without privileges on the tables still gets the rest of the diagnosis.
      state.insideError = statementError(error, `reading inside ${name}`).message;
    } finally {
      await inside.value.end().catch(() => undefined);
    }
  } else {
    state.insideError = inside.error.message;
  }
  state.missingTables = profile.expectedTables.filter((table) => !state.tables.includes(table));
  state.otherTables = state.tables.filter((table) => !profile.expectedTables.includes(table) && table !== 'alembic_version');
  state.connections = [await checkApplicationLogin(settings, profile)];
  return state;
}

/** Can the application role (app_user) log in with the profile's password, as Alembic and pytest will? */
export async function checkApplicationLogin(settings: ConnectionSettings, profile: Profile): Promise<ConnectionCheck> {
  const role = profile.roles.find((r) => r.name === profile.applicationRole);
  const check: ConnectionCheck = { role: profile.applicationRole, database: profile.database.name, ok: false };
  if (!role) return check;
  const client = await openClient(settings, { database: profile.database.name, user: role.name, password: role.password });
  if (!client.ok) return { ...check, error: client.error };
  await client.value.end().catch(() => undefined);
  return { ...check, ok: true };
}
