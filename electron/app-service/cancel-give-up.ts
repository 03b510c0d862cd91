import { appError, type AppError } from '../../shared/errors/app-error';

/**
 * The app's side of "cancel means cancel": after the abort, a job whose server does not
 * answer (stopped, frozen, unreachable) would wait on its sessions for minutes. After
 * CANCEL_GIVE_UP_MS the job is given up on, as the CLI does (electron/cli/run-job.ts):
 * Alembic and pytest have been ended by the abort; what is left is only the wait on the server.
 */
export const CANCEL_GIVE_UP_MS = 10_000;

/** 'ended' when the job finished within `giveUpMs` of the abort, 'gave-up' otherwise. */
export async function cancelOrGiveUp(done: Promise<unknown>, abort: () => void, giveUpMs = CANCEL_GIVE_UP_MS): Promise<'ended' | 'gave-up'> {
  abort();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'gave-up'>((resolve) => {
    timer = setTimeout(() => resolve('gave-up'), giveUpMs);
  });
  try {
    return await Promise.race([
      done.then(
        () => 'ended' as const,
        () => 'ended' as const,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** What the job's last events (the app) or its last line (the CLI) say when it was given up on. */
export function gaveUpError(giveUpMs = CANCEL_GIVE_UP_MS): AppError {
  return appError('cancelled', `Cancelled: PostgreSQL did not answer within ${giveUpMs / 1000} s, so the job was given up on.`, {
    remediation:
      'Alembic and pytest have been ended; a transaction they left open is rolled back by the server as soon as it answers again (or restarts). ' +
      'Check that PostgreSQL is running, then run a diagnosis.',
  });
}
