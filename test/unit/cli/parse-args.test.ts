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

  it('a negative number after a flag reaches that flag\u2019s own check, not node:util\u2019s "ambiguous"', () => {
    expect(usageMessage(['prune', '--keep', '-1'])).toBe('--keep must be a whole number, 0 or more, not "-1".');
    // The same words whichever way the value is written.
    expect(usageMessage(['prune', '--keep=-1'])).toBe(usageMessage(['prune', '--keep', '-1']));
    expect(usageMessage(['diagnose', '--port', '-5'])).toBe('--port must be a number from 1 to 65535, not "-5".');
    // Any flag that takes a value: the value is its to judge.
    const target = parseCli(['plan', '--target', '-1']);
    expect(target.ok && target.value.target).toBe('-1');
    // A flag after a flag that takes a value is still a flag (its value was forgotten), and so is everything after "--".
    expect(usageMessage(['prune', '--keep', '--yes'])).toMatch(/Did you forget to specify the option argument for '--keep'/);
    const ended = parseCli(['fix', '--', '--keep', '-1']);
    expect(ended.ok && ended.value.positionals).toEqual(['--keep', '-1']);
  });

  it('--keep takes digits only: an empty value is not 0 (which would prune every snapshot)', () => {
    for (const text of ['', ' ', '1e3', '0x2', '2.0', 'abc', '-0']) {
      expect(usageMessage(['prune', '--keep', text]), text).toBe(`--keep must be a whole number, 0 or more, not "${text}".`);
    }
    const two = parseCli(['prune', '--keep', '2']);
    expect(two.ok && two.value.keep).toBe(2);
    const none = parseCli(['prune', '--keep', '0']);
    expect(none.ok && none.value.keep).toBe(0);
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

/** The usage error's message for these arguments (the test fails when they parse). */
function usageMessage(argv: string[]): string {
  const parsed = parseCli(argv);
  if (parsed.ok) throw new Error(`${argv.join(' ')} parsed`);
  return parsed.error.message;
}
