import type { Client } from 'pg';
import type { Sessions } from './run-sessions';
import type { Profile } from '../../../shared/profile/schema';
import { ok, type Result } from '../../../shared/errors/app-error';
import { readInsideDatabase } from './read-inside';
import { sqlText } from './sql-files';

/** alembic_version rows on an open connection to the database; null when the table does not exist. */
export async function queryAlembicVersion(client: Client): Promise<string[] | null> {
  const present = (await client.query<{ present: boolean }>(sqlText('e1/select-alembic-version-exists'))).rows[0]?.present;
  if (!present) return null;
  return (await client.query<{ version_num: string }>(sqlText('e1/select-alembic-version'))).rows.map((r) => r.version_num);
}

/** alembic_version rows of the profile's database; null when absent or unreadable. */
export async function readAlembicVersion(sessions: Sessions, profile: Profile): Promise<string[] | null> {
  const result = await readInsideDatabase(sessions, profile, 'reading alembic_version', queryAlembicVersion);
  return result.ok ? result.value : null;
}

/**
 * alembic_version rows to plan from: none when the database or its table does not exist
 * (nothing is applied), the error when the server could not be read, which a plan must
 * not take for an empty database.
 */
export async function readVersionRowsToPlan(sessions: Sessions, profile: Profile): Promise<Result<string[]>> {
  const result = await readInsideDatabase(sessions, profile, 'reading alembic_version', queryAlembicVersion);
  if (result.ok) return ok(result.value ?? []);
  return result.error.code === 'connection-unknown-database' ? ok([]) : result;
}
