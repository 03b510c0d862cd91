import type { JobRequest } from '../../shared/contract/jobs';
import type { GateId } from '../../shared/report/gates';
import type { RunReport } from '../../shared/report/report';
import type { AppService } from '../app-service/app-service';
import { CANCEL_GIVE_UP_MS, gaveUpError } from '../app-service/cancel-give-up';
import { messageWithRemedy } from '../../shared/errors/app-error';
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
  let runningGate: GateId | null = null;
  // A second signal exits at once (cli.ts), with this job's cancel unfinished: its last line says what that leaves.
  const sayStoppedAtOnce = () => io.log(stoppedAtOnceLine(runningGate));
  // One job per CLI process: every event the service sends is this job's.
  const unsubscribe = service.onJobEvent(({ jobId: _jobId, ...event }) => {
    io.emit(event);
    if (event.kind === 'gate-started') runningGate = event.gate;
    if (event.kind === 'gate-finished' && runningGate === event.gate) runningGate = null;
    if (event.kind === 'job-finished') finished(event.report);
  });
  try {
    const { jobId } = unwrap(await service.call('startJob', request));
    let givingUp: NodeJS.Timeout | undefined;
    const cancel = () => {
      io.log('cancelling: ending the running process tree …');
      process.off('exit', sayStoppedAtOnce);
      process.once('exit', sayStoppedAtOnce);
      void service.call('cancelJob', { jobId });
      // A server that does not answer (stopped, frozen, unreachable) would keep the cancel
      // waiting on its sessions for minutes: after a few seconds, give up on it and say so.
      givingUp ??= setTimeout(() => {
        io.log(messageWithRemedy(gaveUpError(CANCEL_GIVE_UP_MS)));
        process.off('exit', sayStoppedAtOnce);
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
    // The cancel finished (or none came): the process ends the ordinary way.
    process.off('exit', sayStoppedAtOnce);
    unsubscribe();
  }
}

/**
 * The last line when a second signal ends the command before the cancel has finished: what
 * the gate that was running may have left. R4 and R5 run their children under the parent
 * watch and in process groups this process kills as it exits, so those end with it; what the
 * server was doing for them ends when their sessions do.
 */
function stoppedAtOnceLine(gate: GateId | null): string {
  const head = 'stopped at once (a second signal): the cancel did not wait for the running step to end';
  const diagnose = 'Run `skeldir-rebuild diagnose` to see the state.';
  if (gate === 'R5') {
    return (
      `${head}. pytest and what it started are ended with this command; the tests' database sessions may still be ending on the server, ` +
      `which rolls back what they left uncommitted. R5 drops and changes nothing itself: the database holds what the tests committed. ${diagnose}`
    );
  }
  if (gate === 'R4') {
    return (
      `${head}. Alembic is ended with this command; the server rolls back the migration step it was running as its session ends ` +
      `(revisions already committed stay). ${diagnose}`
    );
  }
  return `${head}: a statement it had sent may still be running on the server until its session ends. ${diagnose}`;
}
