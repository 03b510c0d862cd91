import { describe, expect, it } from 'vitest';
import { parseCli } from '../../../electron/cli/parse-args';

describe('CLI flags', () => {
  it('defaults follow the guide', () => {
    const parsed = parseCli(['diagnose']);
    expect(parsed.ok && parsed.value).toMatchObject({ command: 'diagnose', host: 'localhost', port: 5432, superuser: 'postgres', json: false });
  });

  it('refuses a password argument and says why', () => {
    const parsed = parseCli(['diagnose', '--password', 'secret']);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error.code).toBe('usage');
      expect(parsed.error.message).toMatch(/visible to every process/);
      expect(JSON.stringify(parsed.error)).not.toContain('secret');
    }
  });

  it('names an unknown flag and an unknown command', () => {
    const flag = parseCli(['diagnose', '--hots', 'x']);
    expect(!flag.ok && flag.error.message).toMatch(/--hots/);
    const command = parseCli(['rebuidl']);
    expect(!command.ok && command.error.message).toMatch(/Unknown command "rebuidl"/);
  });

  it('validates the port', () => {
    const parsed = parseCli(['diagnose', '--port', '99999']);
    expect(!parsed.ok && parsed.error.message).toBe('--port must be a number from 1 to 65535, not "99999".');
  });

  it('--drop-existing only where it means something', () => {
    expect(parseCli(['diagnose', '--drop-existing']).ok).toBe(false);
    expect(parseCli(['bootstrap', '--drop-existing', '--yes']).ok).toBe(true);
  });
});
