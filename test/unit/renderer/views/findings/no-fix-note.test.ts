import { describe, expect, it } from 'vitest';
import { noFixNote } from '../../../../../renderer/views/findings/no-fix-note';

describe('noFixNote', () => {
  it('tells an info finding apart from a problem nobody can fix automatically', () => {
    expect(noFixNote({ severity: 'info' })).toBe('For your information: nothing here needs fixing.');
    expect(noFixNote({ severity: 'warning' })).toBe('No automatic fix: the explanation above says what to do.');
    // With an action the app prints its own how-to line above, and the note points at that line.
    expect(noFixNote({ severity: 'error', action: 'enter-superuser-password' })).toBe('No automatic fix: do what the line above says.');
  });
});
