import type { Profile } from '../../../shared/profile/schema';
import type { Login } from './open-client';

/**
 * The sessions a run opens, named once: the application role's login to the profile's
 * database (as Alembic, pytest and VERIFY log in), and E1's three.
 */
export function applicationLogin(profile: Profile): Login | null {
  const role = profile.roles.find((r) => r.name === profile.applicationRole);
  return role ? { database: profile.database.name, user: role.name, password: role.password } : null;
}

/** E1's sessions: the server as the superuser, inside the database, and the application role's login. */
export function diagnosisLogins(profile: Profile): Login[] {
  const app = applicationLogin(profile);
  return [{ database: 'postgres' }, { database: profile.database.name }, ...(app ? [app] : [])];
}
