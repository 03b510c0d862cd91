import type { JobRequest } from '../../shared/contract/jobs';
import type { RunReport } from '../../shared/report/report';
import type { AppService } from '../app-service/app-service';
import { CANCEL_GIVE_UP_MS } from '../app-service/cancel-give-up';
import { unwrap } from './cli-outcome';
import { cancelOnSignal } from './cancel-on-signal';
import type { CommandIo } from './commands/command-io';

/**
 * Starts a job through the service, as the app's Rebuild button does, prints its events
 * with the terminal printer and returns its report once the job (and the housekeeping it
 * handed off) has ended. Ctrl-C, a closing terminal or a service manager's stop cancel it
 * through the service's cancel, as the app's Cancel button does.
 */
export async function runJob(service: AppService, request: JobRequest, io: CommandIo): Promise<RunReport> {
  let finished: (report: RunReport) => void = () => undefined;
  const report = new Promise<RunReport>((resolve) => (finished = resolve));
  // One job per CLI process: every event the service sends is this job's.
  const unsubscribe = service.onJobEvent(({ jobId: _jobId, ...event }) => {
    io.emit(event);
    if (event.kind === 'job-finished') finished(event.report);
  });
  try {
    const { jobId } = unwrap(await service.call('startJob', request));
    let givingUp: NodeJS.Timeout | undefined;
    const cancel = () => {
      io.log('cancelling: ending the running process tree …');
      void service.call('cancelJob', { jobId });
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
    return await cancelOnSignal(cancel, async () => {
      const done = await report;
      await service.settle();
      return done;
    });
  } finally {
    unsubscribe();
  }
}
