import * as crypto from 'node:crypto';
import { lockWaitNotice, type OtherSession } from '../../db/other-sessions';
import { endDriverSessions } from '../../db/driver-sessions';
import { watchProgress } from '../../db/progress-watch';
import type { Sessions } from '../../db/run-sessions';
import type { GateRecorder } from '../gate-recorder';
import { variableKeys } from '../../process/child-env';

/**
 * One suite's database sessions, as R5 follows them: pytest's connections get a name of their
 * own through PGAPPNAME (set in `env`), so a lock they wait on is named with its holder at once,
 * and the sessions a stopped pytest left are ended. A name CI's environment already gives them
 * is left alone; then nothing is watched, and the suite's time limit alone ends a wait.
 */
export interface SuiteSessions {
  /** The other clients' sessions the suite was last seen waiting on (empty when none). */
  lockHolders(): OtherSession[];
  /** pytest has ended: no more looks at the server. */
  stopWatching(): void;
  /** pytest was stopped (time limit, cancel): ends the sessions it left. */
  endLeftovers(): Promise<void>;
}

export function followSuiteSessions(input: {
  suite: string;
  sessions: Sessions | undefined;
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  timeoutSeconds: number;
  recorder: GateRecorder;
}): SuiteSessions {
  const { suite, sessions, env, recorder } = input;
  let holders: OtherSession[] = [];
  if (!sessions || variableKeys(env, 'PGAPPNAME', input.platform).some((key) => env[key] !== undefined)) {
    return { lockHolders: () => holders, stopWatching: () => undefined, endLeftovers: async () => undefined };
  }
  const name = `skeldir-rebuild-r5-${crypto.randomBytes(4).toString('hex')}`;
  env.PGAPPNAME = name;
  const watch = watchProgress({
    settings: sessions.settings,
    applicationName: name,
    onWaiting: (seen) => {
      holders = seen;
      recorder.log(`${suite}: ${lockWaitNotice(seen, 'the suite', `otherwise its time limit (${input.timeoutSeconds} s) ends it`)}`, 'stderr');
    },
  });
  return {
    lockHolders: () => holders,
    stopWatching: () => watch.stop(),
    async endLeftovers() {
      // A backend waiting on a lock does not notice its client is gone: it would run its statement once the lock went.
      const ended = await endDriverSessions(sessions, name);
      if (ended) recorder.log(`${suite}: ended ${ended} server session${ended === 1 ? '' : 's'} left by the stopped pytest; their transactions rolled back`);
    },
  };
}
