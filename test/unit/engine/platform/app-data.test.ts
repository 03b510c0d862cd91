import { describe, expect, it } from 'vitest';
import { appDataDir, defaultEmbeddedDir } from '../../../../electron/engine/platform/app-data';

describe('per-user app-data folder', () => {
  it('Windows: %LOCALAPPDATA%, spaces kept, backslashes', () => {
    const info = { platform: 'win32' as const, env: { LOCALAPPDATA: 'C:\\Users\\Jane Doe\\AppData\\Local' }, homedir: 'C:\\Users\\Jane Doe', isRoot: false };
    expect(appDataDir(info)).toBe('C:\\Users\\Jane Doe\\AppData\\Local\\SkeldirRebuild');
    expect(defaultEmbeddedDir(info)).toBe('C:\\Users\\Jane Doe\\AppData\\Local\\SkeldirRebuild\\postgres15');
  });

  it('Windows without LOCALAPPDATA falls back to the profile folder', () => {
    const info = { platform: 'win32' as const, env: {}, homedir: 'C:\\Users\\x', isRoot: false };
    expect(appDataDir(info)).toBe('C:\\Users\\x\\AppData\\Local\\SkeldirRebuild');
  });

  it('Linux: XDG_DATA_HOME when absolute, else ~/.local/share', () => {
    expect(appDataDir({ platform: 'linux', env: { XDG_DATA_HOME: '/data/me' }, homedir: '/home/me', isRoot: false })).toBe('/data/me/skeldir-rebuild');
    expect(appDataDir({ platform: 'linux', env: { XDG_DATA_HOME: 'relative' }, homedir: '/home/me', isRoot: false })).toBe(
      '/home/me/.local/share/skeldir-rebuild',
    );
  });

  it('Linux as root: a folder the bundled server\u2019s "postgres" user can reach', () => {
    expect(appDataDir({ platform: 'linux', env: {}, homedir: '/root', isRoot: true })).toBe('/var/lib/skeldir-rebuild');
  });

  it('macOS: Application Support', () => {
    expect(appDataDir({ platform: 'darwin', env: {}, homedir: '/Users/me', isRoot: false })).toBe('/Users/me/Library/Application Support/SkeldirRebuild');
  });
});
