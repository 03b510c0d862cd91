import type { Client } from 'pg';
import type { Sessions } from '../../db/run-sessions';
import { err, ok, type Result } from '../../../../shared/errors/app-error';
import type { Profile } from '../../../../shared/profile/schema';
import { withClient } from '../../db/connect';
import { statementError } from '../../db/pg-errors';
import { readInsideDatabase } from '../../db/read-inside';
import { sqlFormat, sqlText } from '../../db/sql-files';
import { MANAGED_BY } from '../../safety/ownership-marker';

/**
 * Rows the tool itself left are not the user's: after a run that created the database
 * (a rebuild with drop, cold or from a template), what its migrations and R5's tests left
 * is recorded per table in the database's ownership marker (its COMMENT). The next drop
 * skips the safety snapshot when the rows are exactly those.
 *
 * The measure is exact and cheap for what R5 leaves (a few rows): each table's row count
 * and an order-independent md5 over its rows' text (inspect/select-table-checksum, the
 * one `compare` uses). Any insert, update or delete changes one of them. Tables bigger
 * than MEASURE_LIMIT_BYTES in all are never hashed: a database that large holds rows a
 * test run did not leave, and gets its snapshot.
 */
export const MEASURE_LIMIT_BYTES = 64 * 1024 * 1024;

export interface TableMeasure {
  rows: number;
  checksum: string;
}

export interface ToolRows {
  /** When the rows were measured (ISO). */
  recordedAt: string;
  /** The run that left them ("rebuild"). */
  command: string;
  /** Qualified table name → measure; only tables that hold a row. */
  tables: Record<string, TableMeasure>;
}

interface TableRow {
  schemaname: string;
  tablename: string;
  qualified: string;
  bytes: string;
}

/**
 * The tables holding rows, measured; null when they are too large to hash (see
 * MEASURE_LIMIT_BYTES) or the role does not see every row (row-level security would hide
 * rows from the measure, and a hidden change must not pass for "unchanged").
 */
async function measure(client: Client): Promise<Record<string, TableMeasure> | null> {
  const seesAll = (await client.query<{ sees_all: boolean }>(sqlText('cache/select-sees-all-rows'))).rows[0]?.sees_all === true;
  if (!seesAll) return null;
  const tables = (await client.query<TableRow>(sqlText('cache/select-tables-holding-rows'))).rows;
  if (tables.reduce((sum, t) => sum + Number(t.bytes), 0) > MEASURE_LIMIT_BYTES) return null;
  const out: Record<string, TableMeasure> = {};
  for (const t of tables) {
    const row = (await client.query<{ row_count: string; checksum: string }>(sqlFormat('inspect/select-table-checksum', t.schemaname, t.tablename))).rows[0];
    out[t.qualified] = { rows: Number(row?.row_count ?? 0), checksum: row?.checksum ?? '' };
  }
  return out;
}

function measureIn(sessions: Sessions, database: string): Promise<Result<Record<string, TableMeasure> | null>> {
  return withClient(sessions, { database }, `measuring the rows of "${database}"`, measure);
}

async function measureOn(client: Client, database: string): Promise<Result<Record<string, TableMeasure> | null>> {
  try {
    return ok(await measure(client));
  } catch (error) {
    return err(statementError(error, `measuring the rows of "${database}"`));
  }
}

interface Marker {
  managedBy?: unknown;
  toolRows?: ToolRows;
  [key: string]: unknown;
}

async function readMarker(admin: Client, database: string): Promise<Marker | null> {
  const comment = (await admin.query<{ comment: string | null }>(sqlText('e2/select-database-comment'), [database])).rows[0]?.comment;
  if (!comment) return null;
  try {
    const parsed = JSON.parse(comment) as unknown;
    return typeof parsed === 'object' && parsed !== null && (parsed as Marker).managedBy === MANAGED_BY ? (parsed as Marker) : null;
  } catch {
    return null;
  }
}

/**
 * Measures the rows of the profile's database and keeps them in its marker. Only for a
 * database this run created (the caller knows): rows in any other may be the user's.
 * Returns a line for the report, or why nothing was recorded.
 */
export async function recordToolRows(sessions: Sessions, profile: Profile, command: string): Promise<Result<string>> {
  const db = profile.database.name;
  // No table with a data page holds a row: nothing to record (the next drop finds no rows
  // anyway), asked on a session the run already holds there.
  const paged = await readInsideDatabase(
    sessions,
    profile,
    `checking whether "${db}" holds data`,
    async (client) => (await client.query(sqlText('cache/select-tables-with-pages'))).rows.length,
  );
  if (paged.ok && paged.value === 0) return ok('no rows left behind');
  const measured = await measureIn(sessions, db);
  if (!measured.ok) return measured;
  const tables = measured.value;
  return withClient(sessions, { database: 'postgres' }, `recording the rows left in "${db}"`, async (admin) => {
    const marker = await readMarker(admin, db);
    if (!marker) return `not recorded: "${db}" carries no ownership marker`;
    if (!tables)
      return `not recorded: its tables hold more than ${MEASURE_LIMIT_BYTES / 1024 / 1024} MiB, or the login does not see every row (not a superuser)`;
    const toolRows: ToolRows = { recordedAt: new Date().toISOString(), command, tables };
    await admin.query(sqlFormat('cache/comment-on-database', db, JSON.stringify({ ...marker, toolRows })));
    const count = Object.keys(tables).length;
    return count === 0
      ? 'no rows left behind'
      : `recorded the rows left behind in ${count} table${count === 1 ? '' : 's'} (${Object.values(tables).reduce((n, t) => n + t.rows, 0)} rows)`;
  });
}

/** How the rows now compare with those the tool recorded: `unchanged` only when every table holding rows matches exactly. */
export type ToolRowsCheck =
  | { unchanged: true; recorded: ToolRows }
  /** `recordedWhy`/`recordedBy`: what changed since the record, when there was one. */
  | { unchanged: false; why: string; recordedWhy?: string; recordedBy?: string };

export function compareMeasures(recorded: Record<string, TableMeasure>, now: Record<string, TableMeasure>): string | null {
  const names = new Set([...Object.keys(recorded), ...Object.keys(now)]);
  for (const name of [...names].sort()) {
    const before = recorded[name];
    const after = now[name];
    if (!before) return `${name} gained rows`;
    if (!after) return `${name} no longer holds rows`;
    if (before.rows !== after.rows) return `${name} holds ${after.rows} rows, ${before.rows} were left`;
    if (before.checksum !== after.checksum) return `${name}'s rows changed`;
  }
  return null;
}

/**
 * Whether the database holds exactly the rows the tool recorded. `admin` is the drop
 * step's superuser session on "postgres" (it reads the marker); the rows are read on
 * `inside`, the drop step's superuser session in the database, or on a new one.
 */
export async function checkToolRows(admin: Client, sessions: Sessions, database: string, inside: Client | null = null): Promise<ToolRowsCheck> {
  const recorded = (await readMarker(admin, database).catch(() => null))?.toolRows;
  if (!recorded || typeof recorded.tables !== 'object' || recorded.tables === null) return { unchanged: false, why: 'no record of rows the tool left' };
  const now = inside ? await measureOn(inside, database) : await measureIn(sessions, database);
  if (!now.ok) return { unchanged: false, why: `the rows could not be measured (${now.error.message})` };
  if (!now.value) return { unchanged: false, why: `its tables hold more than ${MEASURE_LIMIT_BYTES / 1024 / 1024} MiB, or the login does not see every row` };
  const why = compareMeasures(recorded.tables, now.value);
  return why ? { unchanged: false, why, recordedWhy: why, recordedBy: recorded.command } : { unchanged: true, recorded };
}
