import * as crypto from 'node:crypto';
import { endSessionsOn, renameDatabase } from '../../copies/database-copies';
import { isMarked, markDatabase } from '../../safety/ownership-marker';
import { trashPrefix } from '../../copies/copy-names';
import type { Client } from 'pg';
import type { ConnectionSettings } from '../../../../shared/contract/connection';
import type { EmitEvent } from '../../../../shared/contract/events';
import { appError, type AppError, messageWithRemedy } from '../../../../shared/errors/app-error';
import type { Profile, ProfileRole } from '../../../../shared/profile/schema';
import type { GateReport, StepReport } from '../../../../shared/report/report';
import { openClient, serverVersion, withClient } from '../../db/connect';
import type { Sessions } from '../../db/run-sessions';
import { readInsideDatabase } from '../../db/read-inside';
import type { Resolver } from '../../db/loopback';
import { statementError } from '../../db/pg-errors';
import { withLockHoldersNamed } from '../../db/other-sessions';
import { withFix } from '../../../../shared/report/step-findings';
import { scramSha256Verifier, verifierMatches } from '../../db/scram';
import { sqlFormat, sqlText } from '../../db/sql-files';
import { GateRecorder, notRunGate } from '../gate-recorder';
import { databaseSettings, grantMissingDatabasePrivileges, readDatabaseRow, setMissingDatabaseSettings } from '../../db/database-level';
import { checkDestructiveAllowed } from '../../safety/destructive-guard';
import { closeDoor, type ClosedDoor } from '../../safety/closed-door';

export interface BootstrapOptions {
  dropExisting: boolean;
  /** The user confirmed the drop. */
  confirmed: boolean;
  /** The second confirmation: drop even a database this tool did not create (no ownership marker). */
  confirmedUnmarked?: boolean;
  allowRemote: boolean;
  resolver?: Resolver;
  /** A cancel: honoured up to the drop (after the safety snapshot, before the database goes), never halfway through one. */
  signal?: AbortSignal;
  /** Create the database as a clone of this cache template instead of empty (or swap in its prepared spare copy). */
  fromTemplate?: { name: string; key: string; spare: string | null };
  /**
   * Drop by renaming the database aside (the result's `setAside`), leaving the slow DROP to
   * background housekeeping: the user does not wait for the server's checkpoint.
   */
  deferDrop?: boolean;
  /**
   * Called before the drop; takes a safety snapshot when the database holds rows, and
   * vetoes the drop if it cannot. `endSessions` ends the other sessions on the database
   * (saying how many there were): the hook calls it before it checks, so nobody can add
   * a row between the check and the drop. `door`: the database's connections are refused
   * until the drop; `inside` is the superuser session the check for rows may read through.
   */
  beforeDrop?: (
    client: Client,
    endSessions: () => Promise<number>,
    door?: Pick<ClosedDoor, 'inside' | 'leave'>,
  ) => Promise<{ ok: true; note?: string; snapshot?: string } | { ok: false; error: AppError }>;
}

export interface BootstrapResult {
  gates: GateReport[];
  ok: boolean;
  error?: AppError;
  /** What the drop step did besides dropping: the safety snapshot it took, the name it set the database aside under. */
  dropped?: DropFacts;
  /** The create step made the database (empty, cloned or swapped in), rather than finding it. */
  created?: boolean;
}

export interface DropFacts {
  snapshot?: string;
  setAside?: string;
}

type Outcome = Omit<StepReport, 'id' | 'title' | 'durationMs'>;

/** E2's steps (the drop, one per role) and E3's (create, database and schema privileges, settings): each gate counts its own, "[k/n]". */
function bootstrapStepCounts(profile: Profile): { e2: number; e3: number } {
  return { e2: 1 + profile.roles.length, e3: 4 };
}

/**
 * Gates E2–E3: the guide's bootstrap script as idempotent steps (for the Skeldir profile,
 * E2: drop, three roles; E3: database, database privileges, schema privileges, GUC).
 * Each step checks before it changes, and says "already" when nothing was needed.
 * CREATE/DROP DATABASE run one statement at a time, outside transactions, from a
 * connection to the postgres database.
 */
export async function bootstrap(sessions: Sessions, profile: Profile, options: BootstrapOptions, emit: EmitEvent): Promise<BootstrapResult> {
  const total = bootstrapStepCounts(profile);
  const e2 = new GateRecorder('E2', emit, total.e2);
  if (options.dropExisting) {
    // Decided before any socket opens: a refused drop must not even connect.
    const allowed = await checkDestructiveAllowed(destructiveIntent(sessions.settings, profile, options));
    if (!allowed.ok) {
      e2.record({
        id: 'drop-database',
        title: `Drop existing ${profile.database.name} database (if exists)`,
        status: 'failed',
        detail: messageWithRemedy(allowed.error),
      });
      return { gates: [e2.finish('failed', allowed.error), notRunGate('E3', 'blocked', emit, 'E2 failed')], ok: false, error: allowed.error };
    }
  }
  const admin = await sessions.superuser();
  if (!admin.ok) {
    const gate = e2.finish('failed', admin.error);
    return { gates: [gate, notRunGate('E3', 'blocked', emit, 'E2 failed')], ok: false, error: admin.error };
  }
  const client = admin.value.client;
  let broken = false;
  try {
    const { major } = await serverVersion(client);
    const dbName = profile.database.name;

    const { step: drop, did: dropped } = await e2.stepWith('drop-database', `Drop existing ${dbName} database (if exists)`, () =>
      dropStep(client, sessions, profile, options, major),
    );
    if (drop.status === 'failed') return { ...stopAfter(e2, emit, drop, options.signal), dropped };

    const stored = await readStoredRoles(client, profile.roles);
    for (const role of profile.roles) {
      const step = await e2.step(`create-role-${role.name}`, `Create ${role.name} role`, () => roleStep(client, sessions.settings, role, stored));
      if (step.status === 'failed') return { ...stopAfter(e2, emit, step, options.signal), dropped };
    }
    const e2Report = e2.finish();

    const e3 = new GateRecorder('E3', emit, total.e3);
    const failE3 = (step: StepReport, created: boolean): BootstrapResult => {
      const gate = e3.finish('failed');
      return { gates: [e2Report, gate], ok: false, error: appError('sql-failed', step.detail), dropped, created };
    };
    const create = await e3.step('create-database', `Create ${dbName} database`, () => createDatabaseStep(client, sessions, profile, options.fromTemplate));
    if (create.status === 'failed') return failE3(create, false);
    const created = create.status === 'passed';
    const dbGrants = await e3.step('grant-database-privileges', 'Grant database privileges', () => databaseGrantsStep(client, profile));
    if (dbGrants.status === 'failed') return failE3(dbGrants, created);
    const schemaGrants = await e3.step('grant-schema-privileges', 'Grant schema privileges', () => schemaGrantsStep(sessions, profile));
    if (schemaGrants.status === 'failed') return failE3(schemaGrants, created);
    const guc = await e3.step('set-database-settings', 'Define custom GUC parameters', () => gucStep(client, sessions, profile));
    if (guc.status === 'failed') return failE3(guc, created);
    return { gates: [e2Report, e3.finish()], ok: true, dropped, created };
  } catch (error) {
    broken = true;
    const appErr = statementError(error, 'bootstrapping');
    return { gates: [e2.finish('failed', appErr), notRunGate('E3', 'blocked', emit, 'E2 failed')], ok: false, error: appErr };
  } finally {
    await admin.value.release({ broken });
  }
}

function destructiveIntent(settings: ConnectionSettings, profile: Profile, options: BootstrapOptions) {
  return {
    host: settings.host,
    database: profile.database.name,
    profile,
    confirmed: options.confirmed,
    allowRemote: options.allowRemote,
    resolver: options.resolver,
  };
}

/** E2 stopped at `step`: E3 does not run, for the cancel's sake when the run was cancelled. */
function stopAfter(e2: GateRecorder, emit: EmitEvent, step: StepReport, signal: AbortSignal | undefined): BootstrapResult {
  const error = appError('sql-failed', step.detail);
  return { gates: [e2.finish('failed'), notRunGate('E3', 'blocked', emit, signal?.aborted ? 'cancelled' : 'E2 failed')], ok: false, error };
}

/** Runs a step's work on `client`; a statement error becomes the failed step, saying what to do. */
async function runStep(what: string, client: Client, run: () => Promise<Outcome>): Promise<Outcome> {
  try {
    return await run();
  } catch (error) {
    return failedOutcome(error, what, client);
  }
}

/** A failed step from a statement error; a lock another client held names the sessions with a transaction open. */
async function failedOutcome(error: unknown, what: string, client: Client): Promise<Outcome> {
  return failedStep(await withLockHoldersNamed(statementError(error, what), client, null));
}

/** The remedy goes where E1's steps put theirs, so the finding for the failed step says it as what to do. */
function failedStep(e: AppError): Outcome {
  return {
    status: 'failed',
    detail: withFix(`${e.message}${e.detail ? ` (PostgreSQL: ${e.detail})` : ''}`, e.remediation),
    ...(e.action ? { action: e.action } : {}),
  };
}

async function databaseExists(client: Client, name: string): Promise<{ exists: boolean; owner: string | null; invalid: boolean }> {
  const row = await readDatabaseRow(client, name);
  return { exists: Boolean(row), owner: row?.owner ?? null, invalid: row?.invalid === true };
}

async function dropStep(
  client: Client,
  sessions: Sessions,
  profile: Profile,
  options: BootstrapOptions,
  major: number,
): Promise<{ outcome: Outcome; did: DropFacts }> {
  const name = profile.database.name;
  if (!options.dropExisting) return { outcome: { status: 'skipped', detail: 'keeping the existing database (drop not requested)' }, did: {} };
  try {
    return await dropExisting(client, sessions, name, options, major);
  } catch (error) {
    return { outcome: await failedOutcome(error, `dropping "${name}"`, client), did: {} };
  }
}

async function dropExisting(
  client: Client,
  sessions: Sessions,
  name: string,
  options: BootstrapOptions,
  major: number,
): Promise<{ outcome: Outcome; did: DropFacts }> {
  const only = (outcome: Outcome) => ({ outcome, did: {} });
  const { exists, invalid } = await databaseExists(client, name);
  if (!exists) return only({ status: 'already', detail: `${name} does not exist; nothing to drop` });
  if (invalid) {
    // Half-dropped by an interrupted DROP DATABASE: it cannot be opened or copied, only dropped.
    await sessions.forget(name);
    await client.query(sqlFormat('e2/drop-database', name));
    return only({
      status: 'passed',
      detail: `dropped ${name}, which an interrupted DROP DATABASE had left invalid (no snapshot could be taken of it; its rows were no longer readable)`,
    });
  }
  if (options.signal?.aborted) return only({ status: 'failed', detail: 'Not dropped: the run was cancelled.' });
  if (!options.confirmedUnmarked && !(await isMarked(client, name))) {
    return only({
      status: 'failed',
      detail: `Not dropped: ${name} was not created by Skeldir Rebuild (it has no ownership marker), so it may be a database you made by hand. Dropping it needs a second confirmation. If it holds rows, a safety snapshot is still taken first.`,
      action: 'confirm-drop-unmarked',
    });
  }
  // Closed before the check for rows and kept closed until the drop: a client that
  // reconnects meanwhile cannot commit a row the snapshot would miss.
  const door = closeDoor(client, sessions, name);
  try {
    const endSessions = () =>
      door.endSessions().catch((error: unknown) => {
        throw new DoorNotClosed(name, error);
      });
    const before = options.beforeDrop ? await options.beforeDrop(client, endSessions, door) : { ok: true as const, note: undefined, snapshot: undefined };
    if (!options.beforeDrop) await endSessions();
    if (!before.ok) {
      const { message, remediation, action, actionTarget } = before.error;
      return only({ status: 'failed', detail: `Not dropped: ${message} ${remediation ?? ''}`.trim(), ...(action ? { action, actionTarget } : {}) });
    }
    const { note, snapshot } = before;
    return await dropAfterCheck(client, sessions, name, options, major, door, note, snapshot ? { snapshot } : {});
  } catch (error) {
    if (!(error instanceof DoorNotClosed)) throw error;
    return only({ status: 'failed', detail: error.message });
  } finally {
    await door.reopen();
  }
}

/** The drop itself, once the check for rows has passed (and any snapshot is taken): a failure still reports the snapshot. */
async function dropAfterCheck(
  client: Client,
  sessions: Sessions,
  name: string,
  options: BootstrapOptions,
  major: number,
  door: ClosedDoor,
  note: string | undefined,
  did: DropFacts,
): Promise<{ outcome: Outcome; did: DropFacts }> {
  try {
    // A cancel during the snapshot copy lands here: the database stays, the copy too.
    if (options.signal?.aborted)
      return { outcome: { status: 'failed', detail: `Not dropped: the run was cancelled${note ? `; ${note}` : ''}.`, ...restorable(did) }, did };
    await door.leave();
    if (options.deferDrop) {
      const trash = `${trashPrefix(name)}${crypto.randomBytes(4).toString('hex')}`;
      await renameDatabase(sessions, client, name, trash);
      door.gone();
      // Housekeeping finds what to drop by the owner in the metadata, never by the name alone.
      await client.query(
        sqlFormat('cache/comment-on-database', trash, JSON.stringify({ kind: 'trash', source: name, owner: name, createdAt: new Date().toISOString() })),
      );
      did.setAside = trash;
    } else if (major >= 13) {
      await sessions.forget(name);
      await client.query(sqlFormat('e2/drop-database-force', name));
      door.gone();
    } else {
      await endSessionsOn(sessions, client, name);
      await client.query(sqlFormat('e2/drop-database', name));
      door.gone();
    }
    return { outcome: { status: 'passed', detail: `dropped ${name}${note ? `; ${note}` : ''}`, ...restorable(did) }, did };
  } catch (error) {
    return { outcome: await failedOutcome(error, `dropping "${name}"`, client), did };
  }
}

/** A step that took a safety snapshot tells each front to say how to restore it. */
function restorable(did: DropFacts): Pick<Outcome, 'action' | 'actionTarget'> {
  return did.snapshot ? { action: 'restore-snapshot', actionTarget: did.snapshot } : {};
}

/** The database could not be closed to new connections (a login that does not own it): nothing is snapshotted or dropped. */
class DoorNotClosed extends Error {
  constructor(database: string, cause: unknown) {
    const e = statementError(cause, `closing "${database}" to new connections`);
    const why = e.code === 'connection-not-superuser' ? 'permission denied' : e.message;
    super(
      `Not dropped: could not close "${database}" to new connections before its snapshot: ${why}${e.detail ? ` (PostgreSQL: ${e.detail})` : ''}. ${e.remediation ?? ''}`.trim(),
    );
  }
}

/** A role as pg_authid stores it, and whether the profile's password matches its verifier. */
interface StoredRole {
  canLogin: boolean;
  passwordMatches: boolean;
}

/**
 * The roles as stored (absent: no such role), read in one query and their verifiers
 * checked side by side; null when the login may not read pg_authid (superusers only).
 */
async function readStoredRoles(client: Client, roles: ProfileRole[]): Promise<Map<string, StoredRole> | null> {
  const rows = await client
    .query<{ rolname: string; rolpassword: string | null; rolcanlogin: boolean }>(sqlText('e2/select-role-verifiers'), [roles.map((role) => role.name)])
    .then(
      (result) => result.rows,
      () => null,
    );
  if (!rows) return null;
  const checked = await Promise.all(
    rows.map(async (row) => {
      const password = roles.find((role) => role.name === row.rolname)?.password ?? '';
      return [row.rolname, { canLogin: row.rolcanlogin, passwordMatches: await verifierMatches(row.rolpassword, password) }] as const;
    }),
  );
  return new Map(checked);
}

async function roleStep(client: Client, settings: ConnectionSettings, role: ProfileRole, storedRoles: Map<string, StoredRole> | null): Promise<Outcome> {
  return runStep(`creating role "${role.name}"`, client, async () => {
    // A superuser knows whether the role exists and whether its password is the profile's
    // from one read; others ask pg_roles, and check the password by a test login.
    const stored = storedRoles ? (storedRoles.get(role.name) ?? null) : undefined;
    const exists = stored === undefined ? (await client.query(sqlText('e1/select-roles'), [[role.name]])).rows.length > 0 : stored !== null;
    if (!exists) {
      await client.query(sqlFormat('e2/create-role', role.name, scramSha256Verifier(role.password)));
      return { status: 'passed', detail: `created ${role.name}` };
    }
    // The role exists; make sure the profile's password works, since Alembic and pytest log in with it.
    const verified: Outcome = { status: 'already', detail: `${role.name} already exists (password verified)` };
    if (stored && stored.canLogin && stored.passwordMatches) return verified;
    const login = await openClient(settings, { database: 'postgres', user: role.name, password: role.password });
    if (login.ok) {
      await login.value.end().catch(() => undefined);
      return verified;
    }
    if (login.error.code !== 'connection-auth-failed') {
      return { status: 'already', detail: `${role.name} already exists (login not checked: ${login.error.message})` };
    }
    await client.query(sqlFormat('e2/alter-role-password', role.name, scramSha256Verifier(role.password)));
    return { status: 'passed', detail: `${role.name} already existed; its password and LOGIN were reset to the profile's` };
  });
}

async function createDatabaseStep(client: Client, sessions: Sessions, profile: Profile, fromTemplate: BootstrapOptions['fromTemplate']): Promise<Outcome> {
  const { name, owner } = profile.database;
  return runStep(`creating database "${name}"`, client, async () => {
    const existing = await databaseExists(client, name);
    if (existing.exists) {
      return existing.owner === owner
        ? { status: 'already', detail: `${name} already exists, owned by ${owner}` }
        : { status: 'warning', detail: `${name} already exists but is owned by ${existing.owner}, not ${owner}; rebuild with "drop existing" to fix` };
    }
    if (fromTemplate?.spare) {
      await renameDatabase(sessions, client, fromTemplate.spare, name);
      // The prepared copy already carries the database's privileges and settings (see tidyAndPrepareSpare).
      await client.query(sqlFormat('cache/enable-connections', name));
      await markDatabase(client, name, `cloned from ${fromTemplate.name}`);
      return {
        status: 'passed',
        detail: `restored from template ${fromTemplate.name} (key ${fromTemplate.key.slice(0, 12)}\u2026, its prepared copy swapped in), owned by ${owner}`,
      };
    }
    if (fromTemplate) {
      await client.query(sqlFormat('cache/create-database-from-template', name, fromTemplate.name, owner));
      await markDatabase(client, name, `cloned from ${fromTemplate.name}`);
      return { status: 'passed', detail: `restored from template ${fromTemplate.name} (key ${fromTemplate.key.slice(0, 12)}\u2026), owned by ${owner}` };
    }
    await client.query(sqlFormat('e3/create-database', name, owner));
    await markDatabase(client, name, 'bootstrap');
    return { status: 'passed', detail: `created ${name} owned by ${owner}` };
  });
}

async function databaseGrantsStep(client: Client, profile: Profile): Promise<Outcome> {
  const db = profile.database.name;
  return runStep('granting database privileges', client, async () => {
    const granted = await grantMissingDatabasePrivileges(client, db, profile.databaseGrants);
    return granted.length
      ? { status: 'passed', detail: `granted ${granted.join('; ')} on ${db}` }
      : { status: 'already', detail: `database privileges already granted on ${db}` };
  });
}

async function schemaGrantsStep(sessions: Sessions, profile: Profile): Promise<Outcome> {
  const db = profile.database.name;
  // Reading a schema's privileges is open to every role: any session the run holds in the
  // database will do. Granting needs the superuser, and happens only when one is missing.
  const missingGrants = await readInsideDatabase(sessions, profile, 'reading schema privileges', async (client) => {
    const grants = profile.schemaGrants;
    const held = (
      await client.query<{ schema_name: string; role_name: string; privilege_type: string }>(sqlText('e3/select-schema-privileges'), [
        grants.map((grant) => grant.schema),
        grants.map((grant) => grant.role),
      ])
    ).rows;
    const missing: { schema: string; role: string; privileges: string[] }[] = [];
    for (const grant of grants) {
      const privileges = grant.privileges.filter(
        (p) => !held.some((h) => h.schema_name === grant.schema && h.role_name === grant.role && h.privilege_type === p),
      );
      if (privileges.length) missing.push({ schema: grant.schema, role: grant.role, privileges });
    }
    return missing;
  });
  if (!missingGrants.ok) return failedStep(missingGrants.error);
  if (missingGrants.value.length === 0) return { status: 'already', detail: 'schema privileges already granted' };
  const granted = await withClient(sessions, { database: db }, 'granting schema privileges', async (client) => {
    for (const grant of missingGrants.value) await client.query(sqlFormat('e3/grant-schema-privileges', grant.privileges.join(', '), grant.schema, grant.role));
    return missingGrants.value.map((grant) => `${grant.privileges.join(', ')} on ${grant.schema} to ${grant.role}`);
  });
  if (!granted.ok) return failedStep(granted.error);
  return { status: 'passed', detail: `granted ${granted.value.join('; ')}` };
}

async function gucStep(client: Client, sessions: Sessions, profile: Profile): Promise<Outcome> {
  const db = profile.database.name;
  return runStep('setting database-level parameters', client, async () => {
    const set = await setMissingDatabaseSettings(client, db, profile.gucs, await databaseSettings(client, db));
    if (set.length === 0) return { status: 'already', detail: 'settings already defined' };
    // Sessions opened before the change do not see it: none of them may be handed out again.
    await sessions.forget(db);
    return { status: 'passed', detail: `set ${set.join(', ')} on ${db} (new sessions see it; reconnect open ones)` };
  });
}
