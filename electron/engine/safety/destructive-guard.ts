import { appError, err, ok, type AppError, type Result } from '../../../shared/errors/app-error';
import { PROTECTED_DATABASES } from '../../../shared/profile/identifiers';
import type { Profile } from '../../../shared/profile/schema';
import { checkLoopback, type Resolver } from '../db/loopback';

/**
 * The rules every destructive operation (drop, restore) passes through, in one place:
 * explicit confirmation, the profile's database only, never a system database, and
 * this machine only unless the user allows a remote host.
 */
export interface DestructiveIntent {
  host: string;
  database: string;
  profile: Profile;
  /** The user confirmed (typed the name in the app, --yes or a prompt in the CLI). */
  confirmed: boolean;
  allowRemote: boolean;
  resolver?: Resolver;
}

export async function checkDestructiveAllowed(intent: DestructiveIntent): Promise<Result<void>> {
  const { database, profile } = intent;
  if (PROTECTED_DATABASES.includes(database)) {
    return err(
      appError('database-protected', `"${database}" is a system database; Skeldir Rebuild never drops or replaces it.`, {
        remediation: 'Use a profile whose database is an application database such as skeldir_validation.',
      }),
    );
  }
  if (database !== profile.database.name) {
    return err(appError('database-protected', `Refusing to drop "${database}": only the profile's database "${profile.database.name}" may be dropped.`));
  }
  if (!intent.confirmed) return err(confirmationRequired(database));
  const verdict = await checkLoopback(intent.host, intent.resolver);
  if (!verdict.loopback && !intent.allowRemote) {
    return err(
      appError('remote-host-refused', `Refusing to drop a database on a remote server: ${verdict.reason}.`, {
        remediation: 'This tool rebuilds local databases. If you really mean that server, confirm it a second time, naming the host.',
        action: 'allow-remote-server',
      }),
    );
  }
  return ok(undefined);
}

/** A drop asked for without the database's name confirmed: every front asks for it its own way. */
export function confirmationRequired(database: string): AppError {
  return appError('confirmation-required', `Dropping "${database}" needs your confirmation.`, {
    remediation: 'Confirm the drop by giving the database name.',
    action: 'confirm-drop',
  });
}
