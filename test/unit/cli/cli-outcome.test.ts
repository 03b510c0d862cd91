import { describe, expect, it } from 'vitest';
import { CliFailure, exitCodeForError, unwrap } from '../../../electron/cli/cli-outcome';
import { appError, err, ok } from '../../../shared/errors/app-error';

/** A handler's error becomes the CLI's exit code: 2 for what the user gave wrong, 1 for a run that failed. */
describe('exitCodeForError', () => {
  it('is 2 for input and confirmations, 1 for the server, locks and child processes', () => {
    for (const code of [
      'usage',
      'profile-invalid',
      'repo-not-found',
      'target-unknown',
      'confirmation-required',
      'remote-host-refused',
      'python-not-found',
    ] as const)
      expect(exitCodeForError(appError(code, 'x'))).toBe(2);
    for (const code of ['connection-refused', 'embedded-failed', 'rebuild-locked', 'snapshot-failed', 'subprocess-failed', 'internal'] as const)
      expect(exitCodeForError(appError(code, 'x'))).toBe(1);
  });

  it('unwrap returns the value, or throws the failure with that exit code', () => {
    expect(unwrap(ok(3))).toBe(3);
    const failure = (() => {
      try {
        unwrap(err(appError('confirmation-required', 'Not removed.')));
      } catch (error) {
        return error;
      }
    })();
    expect(failure).toBeInstanceOf(CliFailure);
    expect((failure as CliFailure).exitCode).toBe(2);
    expect((failure as CliFailure).appError.message).toBe('Not removed.');
  });
});
