import type { Client } from 'pg';
import { freshSessions, type Sessions } from '../../db/run-sessions';
import type { ConnectionSettings } from '../../../../shared/contract/connection';
import type { TemplateInfo } from '../../../../shared/contract/copies';
import { ok, err, type Result } from '../../../../shared/errors/app-error';
import type { Profile } from '../../../../shared/profile/schema';
import { openClient, serverVersion, withClient } from '../../db/connect';
import { copyDatabase, copyOwner, dropCopy, listCopies, parseMeta } from '../../copies/database-copies';
import { sqlFormat, sqlText } from '../../db/sql-files';
import { sparePrefix } from '../../copies/copy-names';
import { computeCacheKey, templateName, type CacheKeyInput } from './cache-key';
import { withDestructiveLock } from '../../safety/destructive-lock';
import { databaseSettings, grantMissingDatabasePrivileges, setMissingDatabaseSettings } from '../../db/database-level';

/**
 * The template cache: after a cold rebuild passed VERIFY, the fresh database is kept
 * as `<db>__tpl_<key12>`; the next rebuild with the same key clones it instead of
 * running Alembic (seconds instead of a minute on a real backend). At most the
 * profile's `templatesKept` templates (default 2) per profile database, oldest dropped first.
 */

export type { TemplateInfo } from '../../../../shared/contract/copies';

export async function listTemplates(admin: Client, database: string): Promise<TemplateInfo[]> {
  const copies = await listCopies(admin, database, 'tpl');
  return copies
    .filter((c) => !c.invalid)
    .map((c) => ({ name: c.name, key: c.meta?.key ?? null, createdAt: c.meta?.createdAt ?? null, sizeBytes: c.sizeBytes }))
    .sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? ''));
}

/**
 * The template for this key and its prepared copy, each when it exists and its recorded
 * key matches in full: one query on names, without sizes (a warm rebuild waits for it).
 */
export async function findCached(sessions: Sessions, profile: Profile, key: string): Promise<CachedCopies> {
  const found = await withClient(sessions, { database: 'postgres' }, 'looking up the cache', (admin) => cachedCopies(admin, profile, key));
  return found.ok ? found.value : { template: null, spare: null };
}

/**
 * The profile's roles by name with their OIDs. A template's grants and its owner name roles
 * by OID: after a role is dropped and created again (by hand, or by bootstrap after it went
 * missing) a clone would grant to the old role or to nobody, so such a template no longer matches.
 */
async function roleIdentities(admin: Client, profile: Profile): Promise<Record<string, string>> {
  const rows = (await admin.query<{ rolname: string; oid: string }>(sqlText('cache/select-role-identities'), [profile.roles.map((role) => role.name)])).rows;
  return Object.fromEntries(rows.map((row) => [row.rolname, row.oid]));
}

function sameRoles(recorded: Record<string, string> | undefined, now: Record<string, string>): boolean {
  if (!recorded) return false;
  const names = new Set([...Object.keys(recorded), ...Object.keys(now)]);
  return [...names].every((name) => recorded[name] === now[name]);
}

/**
 * What the next "Rebuild with drop" would find in the cache, asked now: the key of the
 * repository's files, the profile and this server, and the template it would clone (null
 * when none matches, or the one that does was made with roles since created again).
 */
export async function nextRebuildTemplate(admin: Client, profile: Profile, project: CacheProject): Promise<{ key: string; template: string | null }> {
  const { major } = await serverVersion(admin);
  const key = computeCacheKey({ ...project, profile, serverMajor: major });
  return { key, template: (await cachedCopies(admin, profile, key)).template };
}

/** The repository's part of the cache key (see cache-key). */
export type CacheProject = Pick<CacheKeyInput, 'repoDir' | 'iniPath' | 'scriptLocation' | 'versionLocations'>;

export interface CachedCopies {
  template: string | null;
  /** Only with its template: a spare is used as that template's copy. */
  spare: string | null;
}

/** The template for `key` when its roles are still the ones it was made with, and its prepared copy. */
async function cachedCopies(admin: Client, profile: Profile, key: string): Promise<CachedCopies> {
  const database = profile.database.name;
  const names = [templateName(database, key), spareName(database, key)];
  const rows = (await admin.query<{ datname: string; meta: string | null }>(sqlText('cache/select-copy-metadata'), [names])).rows;
  const metaOf = (name: string) => {
    const row = rows.find((candidate) => candidate.datname === name);
    const meta = row ? parseMeta(row.meta) : null;
    return meta !== null && meta.key === key && copyOwner(meta) === database ? meta : null;
  };
  const [templateMeta, spareMeta] = names.map(metaOf);
  if (!templateMeta) return { template: null, spare: null };
  const roles = await roleIdentities(admin, profile);
  const template = sameRoles(templateMeta.roles, roles) ? names[0] : null;
  return { template, spare: template && spareMeta && sameRoles(spareMeta.roles, roles) ? names[1] : null };
}

/** Copies the just-verified database into the cache and trims old templates. */
export async function storeTemplate(sessions: Sessions, profile: Profile, key: string): Promise<Result<TemplateInfo>> {
  const keep = profile.templatesKept;
  const db = profile.database.name;
  const name = templateName(db, key);
  const result = await withClient(sessions, { database: 'postgres' }, 'storing the cache template', async (admin) => {
    // One of the same key is stale (made before a role was created again): it goes, and its prepared copy with it.
    const existing = await listTemplates(admin, db);
    if (existing.some((t) => t.name === name)) await dropCopy(sessions, admin, name);
    if ((await listCopies(admin, db, 'spare')).some((copy) => copy.name === spareName(db, key))) await dropCopy(sessions, admin, spareName(db, key));
    const copied = await copyDatabase(sessions, admin, {
      from: db,
      to: name,
      owner: profile.database.owner,
      meta: {
        kind: 'template',
        source: db,
        owner: db,
        createdAt: new Date().toISOString(),
        key,
        settings: await databaseSettings(admin, db),
        roles: await roleIdentities(admin, profile),
      },
      markTemplate: true,
    });
    if (!copied.ok) return copied;
    const all = await listTemplates(admin, db);
    for (const old of all.filter((t) => t.name !== name).slice(0, Math.max(0, all.length - keep))) await dropCopy(sessions, admin, old.name);
    const stored = (await listTemplates(admin, db)).find((t) => t.name === name);
    return ok(stored ?? { name, key, createdAt: null, sizeBytes: 0 });
  });
  if (!result.ok) return result;
  return result.value.ok ? ok(result.value.value) : err(result.value.error);
}

/** Drops every template of the profile's database, and the prepared copies made from them. */
export async function clearTemplates(settings: ConnectionSettings, profile: Profile): Promise<Result<string[]>> {
  // Under the rebuild lock: a running rebuild may be cloning one of them.
  const sessions = freshSessions(settings);
  const locked = await withDestructiveLock({ command: 'clear-cache', settings, database: profile.database.name }, () =>
    withClient(sessions, { database: 'postgres' }, 'clearing the cache', async (admin) => {
      const templates = await listTemplates(admin, profile.database.name);
      for (const t of templates) await dropCopy(sessions, admin, t.name);
      for (const spare of await listCopies(admin, profile.database.name, 'spare')) await dropCopy(sessions, admin, spare.name);
      return templates.map((t) => t.name);
    }),
  );
  return locked.ok ? locked.value : locked;
}

/**
 * A prepared copy of the template (`<db>__spare_<key12>`), made in the background after
 * a rebuild, so the next warm rebuild swaps it in with a rename instead of copying the
 * files while the user waits.
 */
export function spareName(database: string, key: string): string {
  return `${sparePrefix(database)}${key.slice(0, 12)}`;
}

/**
 * Background housekeeping after a rebuild: drop databases put aside by a deferred drop,
 * drop spares of other keys, and prepare the spare for `key` when its template exists.
 * Without a key (a --no-cache rebuild, which never looked at the cache) the spares stay:
 * the next cached rebuild still swaps its one in, and drops the stale ones.
 */
export async function tidyAndPrepareSpare(sessions: Sessions, profile: Profile, key: string | null): Promise<Result<void>> {
  const db = profile.database.name;
  return withClient(sessions, { database: 'postgres' }, 'preparing the next rebuild', async (admin) => {
    for (const trash of await listCopies(admin, db, 'trash')) await dropCopy(sessions, admin, trash.name);
    if (!key) return;
    const wanted = spareName(db, key);
    const spares = await listCopies(admin, db, 'spare');
    for (const other of spares) if (other.name !== wanted) await dropCopy(sessions, admin, other.name);
    const { template, spare } = await cachedCopies(admin, profile, key);
    if (!template || spare) return;
    // A copy under the wanted name that did not match was made from a stale template.
    if (spares.some((copy) => copy.name === wanted)) await dropCopy(sessions, admin, wanted);
    const made = await copyDatabase(sessions, admin, {
      from: template,
      to: wanted,
      owner: profile.database.owner,
      meta: { kind: 'template', source: template, owner: db, createdAt: new Date().toISOString(), key, roles: await roleIdentities(admin, profile) },
      markTemplate: false,
    });
    if (!made.ok) return;
    // What CREATE DATABASE … TEMPLATE does not copy, applied now rather than while the user
    // waits: bootstrap's E3 then finds them in place ("already") when the copy is swapped in.
    await grantMissingDatabasePrivileges(admin, wanted, profile.databaseGrants);
    await setMissingDatabaseSettings(admin, wanted, profile.gucs);
    // The first session in a new database writes its relation-cache file (pg_internal.init),
    // which every later session then reads: one session now, while nobody waits, spares
    // the rebuild's first session in the swapped-in copy that work. Failing it costs nothing.
    const touch = await openClient(sessions.settings, { database: wanted });
    if (touch.ok) await touch.value.end().catch(() => undefined);
    await admin.query(sqlFormat('cache/disable-connections', wanted));
  });
}
