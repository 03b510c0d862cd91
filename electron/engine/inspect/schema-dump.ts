import type { Sessions } from '../db/run-sessions';
import type { Result } from '../../../shared/errors/app-error';
import { withClient } from '../db/connect';
import { sqlFormat, sqlText } from '../db/sql-files';
import { databaseSettings } from '../db/database-level';
import { queryAlembicVersion } from '../db/read-alembic-version';

/**
 * A normalised description of everything a rebuild produces: tables, columns,
 * constraints, indexes, policies, grants, row security, alembic_version, and the
 * database's owner, privileges and settings. Two databases built the same way have
 * equal dumps (warm vs cold rebuild; a restored snapshot vs its source).
 */
export interface SchemaDump {
  columns: unknown[];
  constraints: unknown[];
  indexes: unknown[];
  policies: unknown[];
  relationGrants: unknown[];
  rowSecurity: unknown[];
  schemaAcl: unknown[];
  databaseAcl: unknown[];
  databaseSettings: string[];
  alembicVersion: string[] | null;
}

export async function dumpSchema(sessions: Sessions, database: string): Promise<Result<SchemaDump>> {
  const inside = await withClient(sessions, { database }, `describing ${database}`, async (client) => ({
    columns: (await client.query(sqlText('inspect/select-columns'))).rows,
    constraints: (await client.query(sqlText('inspect/select-constraints'))).rows,
    indexes: (await client.query(sqlText('inspect/select-indexes'))).rows,
    policies: (await client.query(sqlText('inspect/select-policies'))).rows,
    relationGrants: (await client.query(sqlText('inspect/select-relation-grants'))).rows,
    rowSecurity: (await client.query(sqlText('inspect/select-row-security'))).rows,
    schemaAcl: (await client.query(sqlText('inspect/select-schema-acl'))).rows,
    alembicVersion: await queryAlembicVersion(client),
  }));
  if (!inside.ok) return inside;
  const outside = await withClient(sessions, { database: 'postgres' }, `describing ${database}`, async (client) => ({
    databaseAcl: (await client.query(sqlText('inspect/select-database-acl'), [database])).rows,
    databaseSettings: (await databaseSettings(client, database)).sort(),
  }));
  if (!outside.ok) return outside;
  return { ok: true, value: { ...inside.value, ...outside.value } };
}

/** Row count and checksum of every user table: "restored byte-for-byte" made checkable. */
export async function tableChecksums(sessions: Sessions, database: string): Promise<Result<Record<string, { rows: number; checksum: string }>>> {
  return withClient(sessions, { database }, `checksumming ${database}`, async (client) => {
    const tables = (await client.query<{ schemaname: string; tablename: string }>(sqlText('cache/select-user-tables'))).rows;
    const out: Record<string, { rows: number; checksum: string }> = {};
    for (const t of tables) {
      const row = (await client.query<{ row_count: string; checksum: string }>(sqlFormat('inspect/select-table-checksum', t.schemaname, t.tablename))).rows[0];
      out[`${t.schemaname}.${t.tablename}`] = { rows: Number(row.row_count), checksum: row.checksum };
    }
    return out;
  });
}
