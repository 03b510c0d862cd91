import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../../shared/contract/events';
import { runRebuild, useFixtureCluster } from '../../../support/fixture-cluster';

/**
 * What a warm rebuild costs is mostly the sessions it opens (each a backend start, a SCRAM
 * exchange and a cold catalog cache). This pins them, from the server's own connection log
 * rather than a timer: the rebuild lock's session on "postgres", one superuser session in the
 * old database (E1 reads through it, the drop step checks for rows on it), one application
 * session in the rebuilt database (E3, R4, VERIFY and the closing diagnosis). A change that
 * adds a login shows here as a count, whatever the machine's speed.
 */
const serverLog: string[] = [];
const cluster = useFixtureCluster(undefined, { server: { serverSettings: { log_connections: 'on' }, onLog: (line) => serverLog.push(line) } });

/** The rebuild without R5, its housekeeping handed back instead of run (so its logins are not counted). */
async function rebuild(events: EngineEvent[]) {
  const housekeeping: (() => Promise<void>)[] = [];
  const report = await runRebuild(cluster, { gates: ['E1', 'E2', 'E3', 'R4', 'VERIFY'], defer: (task) => housekeeping.push(task) }, (event) =>
    events.push(event),
  );
  return { report, housekeeping };
}

/** "user=… database=…" of each login the server authorised, in order. */
function loginsIn(lines: string[]): string[] {
  return lines.flatMap((line) => {
    const match = /connection authorized: user=(\S+) database=(\S+)/.exec(line);
    return match ? [`${match[1]}@${match[2]}`] : [];
  });
}

describe('a warm rebuild logs in three times', () => {
  it('the lock on postgres, the superuser in the old database, the application role in the rebuilt one', async () => {
    const cold = await rebuild([]);
    expect(cold.report.gates.every((gate) => gate.status === 'passed')).toBe(true);
    for (const task of cold.housekeeping) await task(); // prepares the copy the warm rebuild swaps in

    const before = serverLog.length;
    const events: EngineEvent[] = [];
    const warm = await rebuild(events);
    // The server logs a login as it authorises it; the last ones may still be on their way.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const logins = loginsIn(serverLog.slice(before));

    expect(warm.report.gates.map((gate) => `${gate.id}:${gate.status}`)).toEqual(['E1:passed', 'E2:passed', 'E3:passed', 'R4:passed', 'VERIFY:passed']);
    expect(warm.report.gates.find((gate) => gate.id === 'R4')?.steps.map((step) => step.id)).toEqual(['restored-from-template']);
    const superuser = cluster.pg.settings.superuser;
    expect(logins).toEqual([`${superuser}@postgres`, `${superuser}@skeldir_validation`, 'app_user@skeldir_validation']);

    // E1 (the state before the run) says why it did not log in as the application role before
    // the drop; the state the run ends in shows the login to the rebuilt database.
    const opening = events.find(
      (event): event is Extract<EngineEvent, { kind: 'step-finished' }> =>
        event.kind === 'step-finished' && event.gate === 'E1' && event.step.id === 'login-app_user',
    );
    expect(opening?.step.status).toBe('skipped');
    expect(opening?.step.detail).toContain('not tried before the drop');
    expect(warm.report.database?.connections).toEqual([{ role: 'app_user', database: 'skeldir_validation', ok: true }]);
    for (const task of warm.housekeeping) await task();
  }, 240_000);
});
