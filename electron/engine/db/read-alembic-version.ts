import type { Client } from 'pg';
import type { Sessions } from './run-sessions';
import type { Profile } from '../../../shared/profile/schema';
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
