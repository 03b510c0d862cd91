import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ConnectionSettings } from '../../../../shared/contract/connection';
import type { PlanView } from '../../../../shared/graph/plan-view';
import type { PythonInfo } from '../../../../shared/prerequisites/prerequisites';
import type { Profile } from '../../../../shared/profile/schema';
import { computeCacheKey } from '../cache/cache-key';
import { offlinePlanSql } from '../migrate/preview-sql';
import { appDataDir } from '../../platform/app-data';
import type { OpenProject } from '../../project/open-project';
import { splitByRevision } from './migration-sql-reader';

/**
 * Each planned revision's offline SQL (`alembic upgrade --sql`, from an empty database to
 * the state the plan reaches), named by its file. It costs a Python start and the import
 * of every revision (about a second), so it is kept on disk under a key over the same
 * inputs as the template cache (env.py and the migration files, alembic.ini, profile) plus the plan's
 * ranges: a warm rebuild, a Diagnose or a fix reads it back.
 */
export interface RevisionSqlRecord {
  revision: string;
  from: string[];
  /** Relative to the repository, forward slashes; the revision id when the graph has no file for it. */
  file: string;
  /** null: not known offline (the step failed at or before this revision). */
  sql: string | null;
}

export interface OfflineMigrationSql {
  key: string;
  /** The `upgrade --sql` ranges run, e.g. ["202511131121", "202511131121:skeldir_foundation@head"]. */
  ranges: string[];
  revisions: RevisionSqlRecord[];
  /** Why some revisions are unknown (Alembic's error), or null. */
  unknownReason: string | null;
  /** Read back from disk instead of running Python. */
  fromDisk: boolean;
}

export interface OfflineSqlRequest {
  project: OpenProject;
  /** The plan from an empty database to the target. */
  plan: PlanView;
  python: PythonInfo | null;
  settings: ConnectionSettings;
  profile: Profile;
  /** Where the files live; default: the app-data folder's `offline-sql`. */
  cacheDir?: string;
}

/** Part of the key: 2 since a step's SQL past 64 KB is read whole (stored records of 1 may have lost it). */
const FORMAT = 'offline-sql/2';
const FILES_KEPT = 20;

/** `SKELDIR_OFFLINE_SQL_DIR` when set (tests keep their own), else the app-data folder's `offline-sql`. */
export function defaultOfflineSqlDir(): string {
  const configured = process.env.SKELDIR_OFFLINE_SQL_DIR?.trim();
  return configured && path.isAbsolute(configured) ? configured : path.join(appDataDir(), 'offline-sql');
}

export function offlineSqlKey(request: Pick<OfflineSqlRequest, 'project' | 'profile' | 'plan'>): string {
  const { project } = request;
  // The template key without the server: offline SQL does not depend on it.
  const files = computeCacheKey({
    repoDir: project.repoDir,
    iniPath: project.iniPath,
    scriptLocation: project.scriptLocation,
    versionLocations: project.versionLocations,
    profile: request.profile,
    serverMajor: 0,
  });
  return crypto
    .createHash('sha256')
    .update(`${FORMAT}\0${files}\0${request.plan.revisions.join(',')}`)
    .digest('hex');
}

/** Null with a reason when it cannot be had (no interpreter, Alembic failed at the first revision). */
export async function offlineMigrationSql(request: OfflineSqlRequest): Promise<{ ok: true; value: OfflineMigrationSql } | { ok: false; reason: string }> {
  const dir = request.cacheDir ?? defaultOfflineSqlDir();
  let key: string;
  try {
    key = offlineSqlKey(request);
  } catch (error) {
    return { ok: false, reason: `the migration files could not be read (${error instanceof Error ? error.message : String(error)})` };
  }
  const stored = readStored(dir, key);
  if (stored) return { ok: true, value: { ...stored, fromDisk: true } };
  if (!request.python) return { ok: false, reason: 'no Python interpreter that can run Alembic (see E1\u2019s prerequisite checks)' };
  const outcome = await offlinePlanSql(request.python, request.project.iniPath, request.project.graph, request.plan, [], {
    settings: request.settings,
    profile: request.profile,
  });
  if (!outcome.ok) return { ok: false, reason: `Alembic could not produce the offline SQL: ${outcome.error.message} ${outcome.error.detail ?? ''}`.trim() };
  const chunks = outcome.value.steps.flatMap((step) => splitByRevision(step.sql));
  const failure = outcome.value.failure;
  const fileOf = (revision: string) => request.project.graph.revisions[revision]?.file ?? revision;
  const revisions: RevisionSqlRecord[] = chunks.map((chunk) => ({ revision: chunk.to, from: chunk.from, file: fileOf(chunk.to), sql: chunk.sql }));
  let unknownReason: string | null = null;
  if (failure) {
    unknownReason = `Alembic's offline mode stopped in \`upgrade --sql ${failure.range}\`: ${failure.errorType}: ${failure.message}`;
    // The revision that was printing when it failed is incomplete; every later one never printed.
    const last = revisions.pop();
    const printed = new Set(revisions.map((r) => r.revision));
    const unknown = request.plan.revisions.filter((r) => !printed.has(r));
    if (last && !unknown.includes(last.revision)) unknown.unshift(last.revision);
    for (const revision of unknown) revisions.push({ revision, from: [], file: fileOf(revision), sql: null });
  }
  const value: OfflineMigrationSql = { key, ranges: outcome.value.steps.map((step) => step.range), revisions, unknownReason, fromDisk: false };
  // A missing package is this interpreter's failure, which the user may fix: such a result is not kept.
  // Any other failure is the revision's own (it needs a live connection), and stays as long as the files do.
  if (!failure || !/ImportError|ModuleNotFoundError/.test(`${failure.errorType} ${failure.message}`)) store(dir, value);
  return { ok: true, value };
}

function readStored(dir: string, key: string): Omit<OfflineMigrationSql, 'fromDisk'> | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(path.join(dir, `${key}.json`), 'utf8')) as { format?: string } & Omit<OfflineMigrationSql, 'fromDisk'>;
    if (parsed.format !== FORMAT || parsed.key !== key || !Array.isArray(parsed.revisions)) return null;
    return { key: parsed.key, ranges: parsed.ranges, revisions: parsed.revisions, unknownReason: parsed.unknownReason ?? null };
  } catch {
    return null;
  }
}

/** Best effort: a read-only or full disk only costs the next run its second of Python. */
function store(dir: string, value: OfflineMigrationSql): void {
  try {
    // Only this folder is private: a recursive mkdir gives its mode to every parent it makes, and the
    // app-data folder made 0700 by root would keep the bundled server (run as "postgres") out of its own folder beside it.
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = path.join(dir, `${value.key}.json`);
    const temporary = `${file}.${process.pid}.tmp`;
    const { fromDisk: _fromDisk, ...kept } = value;
    // The revisions' SQL may hold what the repository keeps private (a role's password): this user's eyes only.
    fs.writeFileSync(temporary, JSON.stringify({ format: FORMAT, ...kept }), { mode: 0o600 });
    fs.renameSync(temporary, file);
    const files = fs
      .readdirSync(dir)
      .filter((name) => name.endsWith('.json'))
      .map((name) => ({ name, at: fs.statSync(path.join(dir, name)).mtimeMs }))
      .sort((a, b) => b.at - a.at);
    for (const old of files.slice(FILES_KEPT)) fs.rmSync(path.join(dir, old.name), { force: true });
  } catch {
    // see above
  }
}
