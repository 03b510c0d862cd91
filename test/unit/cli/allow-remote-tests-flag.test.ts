import { describe, expect, it } from 'vitest';
import { HELP_TEXT } from '../../../electron/cli/command-help';
import { parseCli } from '../../../electron/cli/parse-args';

/** R5 runs a suite whose code points at another server only when the user says so. */
describe('--allow-remote-tests', () => {
  it('is off unless given, on when given, and documented', () => {
    const plain = parseCli(['rebuild']);
    expect(plain.ok && plain.value.allowRemoteTests).toBe(false);
    const allowed = parseCli(['validate', '--allow-remote-tests']);
    expect(allowed.ok && allowed.value.allowRemoteTests).toBe(true);
    expect(HELP_TEXT).toContain('--allow-remote-tests');
  });
});
