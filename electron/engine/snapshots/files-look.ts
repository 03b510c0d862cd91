import type { Client } from 'pg';
import { sqlText } from '../db/sql-files';

/**
 * A rebuild's early look at the files of the database it is about to drop: the user
 * tables' data files and the newest relation file number, read from the catalog. The
 * drop step compares it with the files as they are then (see safety-snapshots) to tell
 * an untouched database from one that may have gained rows.
 */

/** A user table and its data file (main fork, relative to the server's data folder). */
export interface TableFile {
  qualified: string;
  path: string;
}

/** What the run's early look saw: the user tables' data files, and the newest relation file number in the database's folders. */
export interface FilesLook {
  tables: TableFile[];
  folders: { folder: string; newest: number }[];
}

interface TableRow {
  folder: string;
  newest: string;
  schema_name: string | null;
  table_name: string | null;
  qualified: string | null;
  path: string | null;
}

/**
 * The public schema's tables (as pg_tables lists them, by name) and the look, from one
 * catalog query on `client` (any role): E1 reads both at once, so a dropping rebuild
 * needs no second read before the old database's session may close.
 */
export async function readTablesAndFiles(client: Client): Promise<{ publicTables: string[]; look: FilesLook }> {
  const rows = (await client.query<TableRow>(sqlText('e1/select-tables-and-files'))).rows;
  const publicTables = rows.flatMap((row) => (row.schema_name === 'public' && row.table_name ? [row.table_name] : []));
  // alembic_version holds no data of the user's; partitioned parents have no file.
  const tables = rows.flatMap((row) =>
    row.qualified && row.path && row.table_name !== 'alembic_version' ? [{ qualified: row.qualified, path: row.path }] : [],
  );
  const own = rows[0];
  const newest = Number(own?.newest ?? 0);
  // The database's own folder, and those of tables kept in other tablespaces.
  const folders = new Set([...(own ? [own.folder] : []), ...tables.map((table) => table.path.slice(0, table.path.lastIndexOf('/')))]);
  return { publicTables, look: { tables, folders: [...folders].map((folder) => ({ folder, newest })) } };
}
