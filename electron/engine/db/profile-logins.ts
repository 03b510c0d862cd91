import type { Profile } from '../../../shared/profile/schema';
import type { Login } from './open-client';

/**
 * The application role's login to the profile's database, as Alembic, pytest and VERIFY
 * log in.
 */
export function applicationLogin(profile: Profile): Login | null {
  const role = profile.roles.find((r) => r.name === profile.applicationRole);
  return role ? { database: profile.database.name, user: role.name, password: role.password } : null;
}
