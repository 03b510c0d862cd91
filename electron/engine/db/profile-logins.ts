import type { Profile } from '../../../shared/profile/schema';
import type { Login } from './open-client';

/**
 * The sessions a run opens, named once: the application role's login to the profile's
 * database (as Alembic, pytest and VERIFY log in), and E1's.
 */
export function applicationLogin(profile: Profile): Login | null {
  const role = profile.roles.find((r) => r.name === profile.applicationRole);
  return role ? { database: profile.database.name, user: role.name, password: role.password } : null;
}

/**
 * The sessions E1 opens side by side: the server as the superuser, and the application
 * role's login, whose session then also serves the reads inside the database (see
 * read-inside). Without an application role, the superuser's session inside the database.
 */
export function diagnosisLogins(profile: Profile): Login[] {
  const app = applicationLogin(profile);
  return [{ database: 'postgres' }, app ?? { database: profile.database.name }];
}
