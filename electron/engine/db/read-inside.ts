import type { Client } from 'pg';
import { err, ok, type Result } from '../../../shared/errors/app-error';
import type { Profile } from '../../../shared/profile/schema';
import { withClient } from './connect';
import { LOCK_NOT_AVAILABLE, sqlState, statementError } from './pg-errors';
import { applicationLogin } from './profile-logins';
import type { Sessions } from './run-sessions';

/**
 * Reads inside the profile's database that every role may make (the catalogs, the
 * alembic_version table): on whichever session the run already holds there, the
 * application role's or the superuser's. When it holds none, it logs in as the application
 * role, as VERIFY and the closing diagnosis will: one session then serves a rebuilt
 * database from E3 to the end of the run (each new session costs a backend and a cold
 * catalog cache). As the superuser when the application role cannot log in, or when the
 * read fails on its session (a table it may not read).
 *
 * `read` only reads (plain SELECTs, no SET, no transaction): the session goes back to the
 * run without DISCARD ALL.
 *
 * Never for reading rows of user tables: row-level security may hide rows from the
 * application role (recording the rows a run left asks here only which tables have pages
 * at all, and measures the rows as the superuser).
 */
export async function readInsideDatabase<T>(sessions: Sessions, profile: Profile, what: string, read: (client: Client) => Promise<T>): Promise<Result<T>> {
  const superuser = { database: profile.database.name };
  const app = applicationLogin(profile);
  const leased = await sessions.lease(app ?? superuser, { orAnyOf: app ? [superuser] : [] });
  if (!leased.ok) {
    if (!app) return leased;
    // The application role's login failed (E1 reports that on its own): the superuser reads.
    return withClient(sessions, superuser, what, read);
  }
  const asSuperuser = leased.value.login.user === undefined;
  let broken = false;
  try {
    return ok(await read(leased.value.client));
  } catch (error) {
    broken = true;
    // The superuser is tried for what the application role may not read; another session's lock would only make it wait again.
    if (asSuperuser || sqlState(error) === LOCK_NOT_AVAILABLE) return err(statementError(error, what));
  } finally {
    await leased.value.release({ broken, stateless: true });
  }
  return withClient(sessions, superuser, what, read);
}
