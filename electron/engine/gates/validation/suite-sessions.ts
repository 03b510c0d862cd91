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
 * and the sessions a stopped pytest left are ended. A driver that ignores PGAPPNAME (asyncpg)
 * leaves them unnamed: they are then the sessions on the suite's database that logged in since
 * it started, watched all the same, but never ended (a user's client could be among them). A
 * name CI's environment already gives them is kept, and nothing is ended by it either.
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
  /** The database the suite uses: its sessions there that log in while it runs are also its own (a driver may ignore PGAPPNAME). */
  database: string;
}): SuiteSessions {
  const { suite, sessions, env, recorder } = input;
  let holders: OtherSession[] = [];
  if (!sessions) return { lockHolders: () => holders, stopWatching: () => undefined, endLeftovers: async () => undefined };
  // A name CI gives them is kept: then only their database and start find them, and none is ended by name.
  const given = variableKeys(env, 'PGAPPNAME', input.platform).find((key) => env[key] !== undefined);
  const name = given ? (env[given] as string) : `skeldir-rebuild-r5-${crypto.randomBytes(4).toString('hex')}`;
  if (!given) env.PGAPPNAME = name;
  const watch = watchProgress({
    settings: sessions.settings,
    driver: { applicationName: name, alsoUnnamed: { database: input.database, since: new Date() } },
    onWaiting: (seen) => {
      holders = seen;
      recorder.log(`${suite}: ${lockWaitNotice(seen, 'the suite', `otherwise its time limit (${input.timeoutSeconds} s) ends it`)}`, 'stderr');
    },
  });
  return {
    lockHolders: () => holders,
    stopWatching: () => watch.stop(),
    async endLeftovers() {
      if (given) return;
      // A backend waiting on a lock does not notice its client is gone: it would run its statement once the lock went.
      const ended = await endDriverSessions(sessions, name);
      if (ended) recorder.log(`${suite}: ended ${ended} server session${ended === 1 ? '' : 's'} left by the stopped pytest; their transactions rolled back`);
    },
  };
}
