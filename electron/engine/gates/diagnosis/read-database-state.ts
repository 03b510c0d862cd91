import type { Client } from 'pg';
import type { Sessions } from '../../db/run-sessions';
import type { AppError, Result } from '../../../../shared/errors/app-error';
import type { Profile } from '../../../../shared/profile/schema';
import type { ConnectionCheck, DatabaseState, ServerInfo } from '../../../../shared/report/report';
import { clusterIdentity, serverVersion } from '../../db/connect';
import { applicationLogin } from '../../db/profile-logins';
import { databaseSettings, readDatabaseRow } from '../../db/database-level';
import { readInsideDatabase } from '../../db/read-inside';
import { withLockHoldersNamed } from '../../db/other-sessions';
import { statementError } from '../../db/pg-errors';
import { sqlText } from '../../db/sql-files';
import { otherLockHolder } from '../../safety/rebuild-lock';
import { queryAlembicVersion } from '../../db/read-alembic-version';

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

/** `loginNotChecked`: why the application role's login is not tried this time (see ConnectionCheck). */
export interface ReadStateOptions {
  loginNotChecked?: string;
}

export async function readServerState(sessions: Sessions, profile: Profile, options: ReadStateOptions = {}): Promise<ServerState> {
  const { host, port, embedded } = sessions.settings;
  const server: ServerInfo = { host, port, version: null, major: null, embedded };
  const admin = await sessions.superuser();
  if (!admin.ok) return { server, database: null, superuser: null, error: admin.error };
  let broken = false;
  try {
    const { version, major } = await serverVersion(admin.value.client);
    server.version = version;
    server.major = major;
    server.systemId = await clusterIdentity(admin.value.client);
    const who = (await admin.value.client.query(sqlText('e1/select-current-role'))).rows[0] as
      { role: string; rolsuper: boolean; rolcreaterole: boolean; rolcreatedb: boolean } | undefined;
    const superuser = who ? { role: who.role, isSuperuser: who.rolsuper, canCreateRole: who.rolcreaterole, canCreateDb: who.rolcreatedb } : null;
    const database = await readDatabase(admin.value.client, sessions, profile, options);
    return { server, database, superuser };
  } catch (error) {
    broken = true;
    return { server, database: null, superuser: null, error: statementError(error, 'reading the server state') };
  } finally {
    await admin.value.release({ broken });
  }
}

interface InsideRead {
  login: ConnectionCheck;
  read: Result<{ tables: string[]; alembicVersion: string[] | null }>;
}

/** The application role's login check, then the tables and alembic_version inside the database. */
async function readInside(sessions: Sessions, profile: Profile, options: ReadStateOptions): Promise<InsideRead> {
  // The login first: its session may then serve the reads inside (see read-inside).
  const login: ConnectionCheck = options.loginNotChecked
    ? { role: profile.applicationRole, database: profile.database.name, ok: false, notChecked: options.loginNotChecked }
    : await checkApplicationLogin(sessions, profile);
  // A login role without privileges on the tables still gets the rest of the diagnosis.
  const read = await readInsideDatabase(sessions, profile, `reading inside ${profile.database.name}`, async (client) => {
    const tables = (await client.query<{ tablename: string }>(sqlText('e1/select-public-tables'))).rows.map((r) => r.tablename);
    return { tables, alembicVersion: await queryAlembicVersion(client) };
  });
  return { login, read };
}

async function readDatabase(admin: Client, sessions: Sessions, profile: Profile, options: ReadStateOptions): Promise<DatabaseState> {
  const name = profile.database.name;
  const db = await readDatabaseRow(admin, name);
  const roleNames = profile.roles.map((role) => role.name);
  const onServer = (await admin.query<{ rolname: string; rolcanlogin: boolean }>(sqlText('e1/select-server-roles'))).rows;
  const serverRoles = onServer.map((r) => r.rolname);
  const roles = serverRoles.filter((role) => roleNames.includes(role));
  const rolesWithoutLogin = onServer.filter((r) => roleNames.includes(r.rolname) && !r.rolcanlogin).map((r) => r.rolname);
  const state: DatabaseState = {
    name,
    exists: Boolean(db),
    owner: db?.owner ?? null,
    roles,
    missingRoles: roleNames.filter((role) => !roles.includes(role)),
    serverRoles,
    ...(rolesWithoutLogin.length ? { rolesWithoutLogin } : {}),
    tables: [],
    missingTables: [...profile.expectedTables],
    otherTables: [],
    guc: null,
    missingGucs: profile.gucs.map((guc) => guc.name),
    alembicVersion: null,
    connections: [],
  };
  if (!db) return state;
  if (db.invalid) {
    // Nobody can connect to it: what is inside is unknown, not missing.
    state.invalid = true;
    state.insideError = `"${name}" was left invalid by an interrupted DROP DATABASE: it accepts no connection.`;
    state.missingTables = [];
    state.missingGucs = [];
    return state;
  }

  state.guc = Object.fromEntries(
    (await databaseSettings(admin, name)).map((setting) => {
      const at = setting.indexOf('=');
      return [setting.slice(0, at), setting.slice(at + 1)];
    }),
  );
  state.missingGucs = profile.gucs.filter((guc) => state.guc?.[guc.name] !== guc.value).map((guc) => guc.name);
  if (db.closed) {
    // No login gets in, superusers' neither: what is inside is unknown, not missing.
    state.closed = true;
    const holder = await otherLockHolder(admin, name);
    if (holder) state.closedByRun = holder;
    state.insideError = holder
      ? `"${name}" is closed to new connections while another run${holder.pid ? ` (pid ${holder.pid})` : ''} drops or restores it; diagnose again once it has finished.`
      : `"${name}" is closed to new connections (ALLOW_CONNECTIONS false).`;
    state.missingTables = [];
    return state;
  }

  // PostgreSQL answers a login as a role that does not exist with "password authentication
  // failed", which would read as a wrong password: a missing role is Roles' to say, not tried here.
  const roleMissing = state.missingRoles.includes(profile.applicationRole);
  const insideOptions = roleMissing
    ? { ...options, loginNotChecked: `not tried: the role "${profile.applicationRole}" does not exist (see Roles; bootstrap creates it)` }
    : options;
  const { login, read } = await readInside(sessions, profile, insideOptions);
  if (read.ok) {
    state.tables = read.value.tables;
    state.alembicVersion = read.value.alembicVersion;
  } else {
    const error = await withLockHoldersNamed(read.error, admin, name);
    state.insideError = error.message;
    if (error.remediation) state.insideRemediation = error.remediation;
  }
  state.missingTables = profile.expectedTables.filter((table) => !state.tables.includes(table));
  state.otherTables = state.tables.filter((table) => !profile.expectedTables.includes(table) && table !== 'alembic_version');
  state.connections = [login];
  return state;
}

/** Can the application role (app_user) log in with the profile's password, as Alembic and pytest will? */
async function checkApplicationLogin(sessions: Sessions, profile: Profile): Promise<ConnectionCheck> {
  const login = applicationLogin(profile);
  const check: ConnectionCheck = { role: profile.applicationRole, database: profile.database.name, ok: false };
  if (!login) return check;
  // A session of this run that logged in with the same password proves it as well as a new one.
  const client = await sessions.lease(login);
  if (!client.ok) return { ...check, error: client.error };
  await client.value.release({ stateless: true });
  return { ...check, ok: true };
}
