import { formatHost, type ConnectionSettings } from '../../../../shared/contract/connection';
import type { Profile } from '../../../../shared/profile/schema';
import { applicationLogin } from '../../db/profile-logins';

/**
 * The DATABASE_URL Alembic and pytest get: the application role with its password.
 * Only ever placed in a child's environment; anything shown uses redactedUrl.
 */
export function applicationDatabaseUrl(settings: ConnectionSettings, profile: Profile): string {
  const login = applicationLogin(profile);
  const user = encodeURIComponent(login?.user ?? profile.applicationRole);
  const password = encodeURIComponent(login?.password ?? '');
  return `postgresql://${user}:${password}@${formatHost(settings.host)}:${settings.port}/${encodeURIComponent(profile.database.name)}`;
}
