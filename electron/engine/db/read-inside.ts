import type { Client } from 'pg';
import { err, ok, type Result } from '../../../shared/errors/app-error';
import type { Profile } from '../../../shared/profile/schema';
import { withClient } from './connect';
import { statementError } from './pg-errors';
import { applicationLogin } from './profile-logins';
import type { Sessions } from './run-sessions';

/**
 * Reads inside the profile's database that every role may make (the catalogs, the
 * alembic_version table): on whichever session the run already holds there, the
 * superuser's or the application role's, so a freshly swapped-in database needs one
 * session, not two. As the superuser when the run holds none, or when the read fails on
 * the application role's (a table it may not read).
 *
 * `read` only reads (plain SELECTs, no SET, no transaction): the session goes back to the
 * run without DISCARD ALL.
 *
 * Never for reading rows of user tables: row-level security may hide rows from the
 * application role (the safety snapshot asks here only which tables have pages at all,
 * and asks the superuser whether those hold rows).
 */
export async function readInsideDatabase<T>(sessions: Sessions, profile: Profile, what: string, read: (client: Client) => Promise<T>): Promise<Result<T>> {
  const superuser = { database: profile.database.name };
  const app = applicationLogin(profile);
  const leased = await sessions.lease(superuser, { orAnyOf: app ? [app] : [] });
  if (!leased.ok) return leased;
  const asSuperuser = leased.value.login.user === undefined;
  let broken = false;
  try {
    return ok(await read(leased.value.client));
  } catch (error) {
    broken = true;
    if (asSuperuser) return err(statementError(error, what));
  } finally {
    await leased.value.release({ broken, stateless: true });
  }
  return withClient(sessions, superuser, what, read);
}
