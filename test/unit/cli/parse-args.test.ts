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
    // Written as libpq takes it: decimal digits, not JavaScript's other number forms.
    for (const text of ['0x10', '1e3', '5432.0', '-1', '']) expect(parseCli(['diagnose', '--port', text]).ok, text).toBe(false);
    expect(parseCli(['diagnose', '--port', ' 5433 ']).ok).toBe(true);
  });

  it('--drop-existing only where it means something', () => {
    expect(parseCli(['diagnose', '--drop-existing']).ok).toBe(false);
    expect(parseCli(['bootstrap', '--drop-existing', '--yes']).ok).toBe(true);
  });
});

describe('CLI conventions', () => {
  it('suggests the closest command and flag', () => {
    const command = parseCli(['rebuidl']);
    expect(!command.ok && command.error.message).toMatch(/Did you mean "rebuild"\?/);
    const flag = parseCli(['diagnose', '--embeded']);
    expect(!flag.ok && flag.error.message).toMatch(/Unknown option '--embeded'\. Did you mean --embedded\b/);
    const far = parseCli(['zzzzzzzzzz']);
    expect(!far.ok && far.error.message).not.toMatch(/Did you mean/);
  });

  it('COMMAND --help and help COMMAND name the command\u2019s page; --version and --no-progress parse', () => {
    for (const argv of [
      ['rebuild', '--help'],
      ['help', 'rebuild'],
      ['rebuild', '-h'],
    ]) {
      const parsed = parseCli(argv);
      expect(parsed.ok && parsed.value).toMatchObject({ command: 'help', helpTopic: 'rebuild' });
    }
    expect(parseCli(['--help']).ok && (parseCli(['--help']) as { value: { helpTopic?: string } }).value.helpTopic).toBeUndefined();
    const version = parseCli(['--version']);
    expect(version.ok && version.value.version).toBe(true);
    const plain = parseCli(['rebuild', '--no-progress']);
    expect(plain.ok && plain.value.progress).toBe(false);
    const noColor = parseCli(['rebuild'], { NO_COLOR: '1' });
    expect(noColor.ok && noColor.value.progress).toBe(false);
  });

  it('reads PGHOST, PGPORT and PGUSER as defaults; flags win; a socket directory falls back to localhost', () => {
    const env = { PGHOST: 'db.local', PGPORT: '6543', PGUSER: 'admin' };
    const fromEnv = parseCli(['diagnose'], env);
    expect(fromEnv.ok && fromEnv.value).toMatchObject({ host: 'db.local', port: 6543, superuser: 'admin' });
    const flags = parseCli(['diagnose', '--host', 'h', '--port', '5000', '--superuser', 'root'], env);
    expect(flags.ok && flags.value).toMatchObject({ host: 'h', port: 5000, superuser: 'root' });
    const socket = parseCli(['diagnose'], { PGHOST: '/var/run/postgresql' });
    expect(socket.ok && socket.value.host).toBe('localhost');
    const bad = parseCli(['diagnose'], { PGPORT: 'x' });
    expect(!bad.ok && bad.error.message).toBe('PGPORT must be a number from 1 to 65535, not "x".');
  });
});
