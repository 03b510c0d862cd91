import * as os from 'node:os';
import * as path from 'node:path';

/**
 * The OS's per-user application-data folder for this app. Pure function of its
 * inputs so the Windows branch is unit-tested on Linux with path.win32.
 */
export interface PlatformInfo {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  homedir: string;
  /** Root on Linux cannot let the bundled server (run as "postgres") into /root. */
  isRoot: boolean;
}

export function currentPlatform(): PlatformInfo {
  return {
    platform: process.platform,
    env: process.env,
    homedir: os.homedir(),
    isRoot: typeof process.getuid === 'function' && process.getuid() === 0,
  };
}

export function appDataDir(info: PlatformInfo = currentPlatform()): string {
  const { platform, env, homedir } = info;
  if (platform === 'win32') {
    const base = env.LOCALAPPDATA ?? path.win32.join(homedir, 'AppData', 'Local');
    return path.win32.join(base, 'SkeldirRebuild');
  }
  if (platform === 'darwin') return path.posix.join(homedir, 'Library', 'Application Support', 'SkeldirRebuild');
  if (info.isRoot) return '/var/lib/skeldir-rebuild';
  const base = env.XDG_DATA_HOME && path.posix.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : path.posix.join(homedir, '.local', 'share');
  return path.posix.join(base, 'skeldir-rebuild');
}

/** Where the bundled PostgreSQL keeps its cluster unless the user chose a folder. */
export function defaultEmbeddedDir(info: PlatformInfo = currentPlatform()): string {
  const join = info.platform === 'win32' ? path.win32.join : path.posix.join;
  return join(appDataDir(info), 'postgres15');
}
