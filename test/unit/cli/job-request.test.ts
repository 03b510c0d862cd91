import { describe, expect, it } from 'vitest';
import { jobRequestSchema } from '../../../shared/contract/jobs';
import { jobRequestFor } from '../../../electron/cli/job-request';
import { parseCli } from '../../../electron/cli/parse-args';

/** A gate command's flags become the request the app sends for the same job, valid under the contract's schema. */
function requestOf(argv: string[], confirmed = false) {
  const options = parseCli(argv);
  if (!options.ok) throw new Error(options.error.message);
  const request = jobRequestFor(options.value, { confirmed, databaseName: 'skeldir_validation' });
  if (request !== null) expect(jobRequestSchema.safeParse(request).success).toBe(true);
  return request;
}

describe('jobRequestFor', () => {
  it('maps each gate command to its job', () => {
    expect(requestOf(['diagnose'])).toEqual({ kind: 'diagnose' });
    expect(requestOf(['verify'])).toEqual({ kind: 'verify' });
    expect(requestOf(['validate', '--allow-remote-tests'])).toEqual({ kind: 'validate', allowRemoteTests: true });
    expect(requestOf(['migrate', '--target', 'heads', '--from-graph'])).toEqual({ kind: 'migrate', target: 'heads', fromGraph: true });
  });

  it('confirms the drop with the profile\u2019s database name only when the user confirmed, and the host only with --allow-remote', () => {
    expect(requestOf(['bootstrap', '--drop-existing'])).toEqual({ kind: 'bootstrap', dropExisting: true });
    expect(requestOf(['bootstrap', '--drop-existing', '--yes'], true)).toEqual({
      kind: 'bootstrap',
      dropExisting: true,
      confirmDatabaseName: 'skeldir_validation',
    });
    expect(
      requestOf(['rebuild', '--drop-existing', '--drop-unmarked', '--allow-remote', '--host', 'db.example', '--no-cache', '--skip-validation'], true),
    ).toEqual({
      kind: 'rebuild',
      dropExisting: true,
      confirmDatabaseName: 'skeldir_validation',
      confirmUnmarked: true,
      confirmRemoteHost: 'db.example',
      fromGraph: false,
      skipValidation: true,
      allowRemoteTests: false,
      noCache: true,
    });
  });

  it('has no job for the commands that run no gates', () => {
    for (const command of ['graph', 'plan', 'snapshots', 'report']) expect(requestOf([command])).toBeNull();
  });
});
