import type { GateId } from '../../../shared/report/gates';
import { runPipeline } from '../../engine/pipeline/run-pipeline';
import { requireConnection, requireProfile } from '../cli-context';
import type { CliOptions } from '../parse-args';
import { confirm } from '../read-password';
import type { CommandIo, CommandOutput } from './command-io';

/**
 * Every command that runs gates: diagnose (E1), bootstrap (E1–E3), migrate (E1, R4),
 * verify (E1, VERIFY), validate (E1, R5) and rebuild (all). One pipeline for all.
 */
const GATES_OF: Record<string, GateId[]> = {
  diagnose: ['E1'],
  bootstrap: ['E1', 'E2', 'E3'],
  migrate: ['E1', 'R4'],
  verify: ['E1', 'VERIFY'],
  validate: ['E1', 'R5'],
  rebuild: ['E1', 'E2', 'E3', 'R4', 'VERIFY', 'R5'],
};

/** How long a cancelled run may wait on the server before the CLI gives up on it. */
const CANCEL_GIVE_UP_MS = 10_000;

export async function runGatesCommand(options: CliOptions, io: CommandIo): Promise<CommandOutput> {
  const profile = requireProfile(options);
  const connection = await requireConnection(options, io.log);
  const controller = new AbortController();
  let givingUp: NodeJS.Timeout | undefined;
  const onSignal = () => {
    io.log('cancelling: ending the running process tree …');
    controller.abort();
    // A server that does not answer (stopped, frozen, unreachable) would keep the cancel
    // waiting on its sessions for minutes: after a few seconds, give up on it and say so.
    givingUp ??= setTimeout(() => {
      io.log(
        `cancelling: PostgreSQL did not answer within ${CANCEL_GIVE_UP_MS / 1000} s; giving up on it. Alembic and pytest have been ended; ` +
          'a transaction they left open is rolled back by the server as soon as it answers again (or restarts). Run `skeldir-rebuild diagnose` then.',
      );
      process.exit(1);
    }, CANCEL_GIVE_UP_MS);
    // Only a run still waiting on the server keeps the process alive for it.
    givingUp.unref();
  };
  // A terminal closing (SIGHUP) or a service manager stopping us (SIGTERM) cancels like Ctrl-C:
  // the children end, their transactions roll back, the temp folders go.
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.once(signal, onSignal);
  try {
    let confirmed = options.yes;
    if (options.dropExisting && !confirmed) {
      confirmed = await confirm(
        `Drop database "${profile.database.name}" on ${connection.settings.host}:${connection.settings.port}? A snapshot is kept if it holds data.`,
      );
    }
    const report = await runPipeline(
      {
        command: options.command,
        gates: GATES_OF[options.command],
        settings: connection.settings,
        profile,
        repoDir: options.repo,
        pythonFlag: options.python,
        bootstrap: { dropExisting: options.dropExisting, confirmed, confirmedUnmarked: options.dropUnmarked, allowRemote: options.allowRemote },
        target: options.target,
        fromGraph: options.fromGraph,
        skipValidation: options.skipValidation,
        allowRemoteTests: options.allowRemoteTests,
        cache: { enabled: !options.noCache },
        signal: controller.signal,
      },
      io.emit,
    );
    return { report };
  } finally {
    for (const signal of signals) process.off(signal, onSignal);
    await connection.embedded?.stop();
  }
}
