import type { SettingsView } from '../../shared/contract/settings';
import { appError, err, ok, type Result } from '../../shared/errors/app-error';
import { createAppService, type AppService } from '../app-service/app-service';
import { memorySettings, type StoredSettings } from '../app-service/settings-store';
import { CANCEL_GIVE_UP_MS } from '../app-service/cancel-give-up';
import { CliFailure } from './cli-outcome';
import type { CommandIo } from './commands/command-io';
import type { CliOptions } from './parse-args';
import { readSuperuserPassword } from './read-password';

/**
 * The CLI's flags as the app's settings, and the app's own service behind them: every
 * command turns argv into the requests the app sends and calls the same handlers.
 */
function cliSettings(options: CliOptions): StoredSettings {
  return {
    connection: { mode: options.embedded ? 'embedded' : 'server', host: options.host, port: options.port, superuser: options.superuser },
    repoDir: options.repo ?? '',
    python: options.python ?? '',
    profilePath: options.profile ?? '',
  };
}

/**
 * How a command may get the superuser's password: `ask` looks where libpq does and then
 * prompts; `environment` takes it only from the environment, for the read-only commands
 * (plan, migrate --preview) that use a database only when one is at hand.
 */
export type PasswordSource = 'ask' | 'environment';

export function environmentPassword(env: NodeJS.ProcessEnv = process.env): string | null {
  return env.SKELDIR_SUPERUSER_PASSWORD || env.PGPASSWORD || null;
}

function openCliService(options: CliOptions, io: CommandIo, passwords: PasswordSource = 'ask'): AppService {
  return createAppService({
    store: memorySettings(cliSettings(options)),
    // The app's own variable for the bundled server's folder, so both fronts share one server.
    embeddedDir: options.embeddedDir ?? (process.env.SKELDIR_EMBEDDED_DIR || undefined),
    // The CLI gives up on a cancel itself (run-job: it says so and exits); the service's own give-up comes later, never first.
    cancelGiveUpMs: 2 * CANCEL_GIVE_UP_MS,
    serverLog: io.log,
    progress: io.emit,
    askPassword: (superuser, server): Promise<Result<string>> => {
      if (passwords === 'ask') return readSuperuserPassword(superuser, process.env, process.stdin, process.stderr, server);
      const password = environmentPassword();
      return Promise.resolve(password ? ok(password) : err(appError('usage', 'No password in the environment.')));
    },
  });
}

/** Runs `work` with the service; the bundled server a handler started is stopped afterwards (its data stays). */
export async function withCliService<T>(options: CliOptions, io: CommandIo, work: (service: AppService) => Promise<T>, passwords?: PasswordSource): Promise<T> {
  const service = openCliService(options, io, passwords);
  try {
    return await work(service);
  } finally {
    await service.dispose();
  }
}

/** The settings as the service reads them; an unusable profile is a usage error, said before anything connects. */
export async function requireSettings(service: AppService): Promise<SettingsView> {
  const settings = await service.call('getSettings', {});
  if (!settings.ok) throw new CliFailure(settings.error, 2);
  if (settings.value.profileError) throw new CliFailure(settings.value.profileError, 2);
  return settings.value;
}
