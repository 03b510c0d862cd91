import { describe, expect, it } from 'vitest';
import { jobPipeline, unconfirmedDrop } from '../../../electron/app-service/job-pipeline';
import type { ConnectionSettings } from '../../../shared/contract/connection';
import { SKELDIR_PROFILE } from '../../../shared/profile/skeldir-profile';

/** A job of either front as a pipeline request: the gates from gatesFor, the drop only with its confirmations. */
const remote: ConnectionSettings = { host: 'db.example', port: 5432, superuser: 'postgres', password: 'x', embedded: false };
const stored = { repoDir: '/repo', python: '' };

describe('jobPipeline', () => {
  it('names the run after the job and runs the job\u2019s gates', () => {
    const verify = jobPipeline({ kind: 'verify' }, SKELDIR_PROFILE, remote, stored);
    expect(verify.ok && [verify.value.command, verify.value.gates, verify.value.repoDir, verify.value.pythonFlag]).toEqual([
      'verify',
      ['E1', 'VERIFY'],
      '/repo',
      undefined,
    ]);
    const fix = jobPipeline({ kind: 'remediate', findingId: 'FM2' }, SKELDIR_PROFILE, remote, stored);
    expect(fix.ok && [fix.value.command, fix.value.gates]).toEqual(['fix FM2', ['E1', 'E2', 'E3']]);
  });

  it('refuses a drop without the database name, or with a mistyped one, before anything runs', () => {
    const none = jobPipeline({ kind: 'bootstrap', dropExisting: true }, SKELDIR_PROFILE, remote, stored);
    expect(!none.ok && [none.error.code, none.error.message]).toEqual(['confirmation-required', 'Dropping "skeldir_validation" needs your confirmation.']);
    const typo = jobPipeline({ kind: 'rebuild', dropExisting: true, confirmDatabaseName: 'skeldir' }, SKELDIR_PROFILE, remote, stored);
    expect(!typo.ok && typo.error.message).toBe('To drop the database, type its name "skeldir_validation" exactly.');
    // The same answer the service gives before it connects (or starts the bundled server).
    expect(unconfirmedDrop({ kind: 'bootstrap', dropExisting: true }, SKELDIR_PROFILE)?.message).toBe('Dropping "skeldir_validation" needs your confirmation.');
    expect(unconfirmedDrop({ kind: 'rebuild', dropExisting: true, confirmDatabaseName: 'skeldir_validation' }, SKELDIR_PROFILE)).toBeNull();
    expect(unconfirmedDrop({ kind: 'rebuild', dropExisting: false }, SKELDIR_PROFILE)).toBeNull();
    expect(unconfirmedDrop({ kind: 'diagnose' }, SKELDIR_PROFILE)).toBeNull();
  });

  it('allows a remote host only when its name was confirmed', () => {
    const confirmed = { kind: 'rebuild', dropExisting: true, confirmDatabaseName: 'skeldir_validation' } as const;
    const without = jobPipeline(confirmed, SKELDIR_PROFILE, remote, stored);
    const withHost = jobPipeline({ ...confirmed, confirmRemoteHost: 'db.example' }, SKELDIR_PROFILE, remote, stored);
    const otherHost = jobPipeline({ ...confirmed, confirmRemoteHost: 'localhost' }, SKELDIR_PROFILE, remote, stored);
    expect([without, withHost, otherHost].map((r) => r.ok && r.value.bootstrap?.allowRemote)).toEqual([false, true, false]);
    expect(withHost.ok && withHost.value.bootstrap).toMatchObject({ dropExisting: true, confirmed: true, confirmedUnmarked: false });
  });
});
