import { describe, expect, it } from 'vitest';
import { ERROR_CODES, errorCause } from '../../../shared/errors/app-error';

/** The CLI's exit codes read the catalogue's causes, so a code without one would exit by accident. */
describe('the error catalogue', () => {
  it('gives every code a cause, input or run', () => {
    expect(ERROR_CODES.length).toBeGreaterThan(0);
    for (const code of ERROR_CODES) expect(['input', 'run'], code).toContain(errorCause(code));
  });
});
