import { formatHost, type ConnectionSettings } from '../../../shared/contract/connection';
import type { Profile } from '../../../shared/profile/schema';

/**
 * The DATABASE_URL Alembic and pytest get: the application role with its password.
 * Only ever placed in a child's environment; anything shown uses redactedUrl.
 */
export function applicationDatabaseUrl(settings: ConnectionSettings, profile: Profile): string {
  const role = profile.roles.find((r) => r.name === profile.applicationRole);
  const user = encodeURIComponent(role?.name ?? profile.applicationRole);
  const password = encodeURIComponent(role?.password ?? '');
  return `postgresql://${user}:${password}@${formatHost(settings.host)}:${settings.port}/${encodeURIComponent(profile.database.name)}`;
}
