import { describe, expect, it } from 'vitest';
import type { Sessions } from '../../../../electron/engine/db/run-sessions';
import { GateRecorder } from '../../../../electron/engine/gates/gate-recorder';
import { followSuiteSessions } from '../../../../electron/engine/gates/validation/suite-sessions';

/** Only the settings are read before the first look at the server (a second later); the tests stop the watch before it. */
const sessions = { settings: { host: '127.0.0.1', port: 1, superuser: 'postgres', password: 'x', embedded: false } } as unknown as Sessions;
const recorder = () => new GateRecorder('R5', () => undefined);

describe('a suite’s database sessions', () => {
  it('get a name of their own through PGAPPNAME when the run can watch them', () => {
    const env: Record<string, string | undefined> = { DATABASE_URL: 'postgresql://app_user@127.0.0.1/db' };
    const followed = followSuiteSessions({ suite: 's.py', sessions, env, platform: 'linux', timeoutSeconds: 5, recorder: recorder(), database: 'db' });
    followed.stopWatching();
    expect(env.PGAPPNAME).toMatch(/^skeldir-rebuild-r5-[0-9a-f]{8}$/);
    expect(followed.lockHolders()).toEqual([]);
  });

  it('keep a name CI’s environment gives them (on Windows in any case of the variable), and are not named without the run’s sessions', () => {
    const fromCi: Record<string, string | undefined> = { PgAppName: 'ci-tests' };
    followSuiteSessions({ suite: 's.py', sessions, env: fromCi, platform: 'win32', timeoutSeconds: 5, recorder: recorder(), database: 'db' }).stopWatching();
    expect(fromCi).toEqual({ PgAppName: 'ci-tests' });
    const unwatched: Record<string, string | undefined> = {};
    followSuiteSessions({
      suite: 's.py',
      sessions: undefined,
      env: unwatched,
      platform: 'linux',
      timeoutSeconds: 5,
      recorder: recorder(),
      database: 'db',
    }).stopWatching();
    expect(unwatched).toEqual({});
  });
});
