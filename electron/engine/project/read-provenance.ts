import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunProvenance } from '../../../shared/report/report';
import { readTextIfPresent } from '../platform/fs-probe';

/**
 * Which repository and commit a run is from, read from `.git` files without running git
 * (no git on PATH is needed, and nothing is written). Handles a `.git` folder or a
 * `.git` file pointing elsewhere (worktrees, submodules), symbolic and detached HEADs,
 * loose and packed refs; anything else yields a null commit rather than an error.
 */
const SHA = /^[0-9a-f]{40}$/;
const MAX_PARENTS = 32;

export interface GitHead {
  commit: string | null;
  branch: string | null;
}

/** The git folder of the checkout holding `dir` (walking up), and the folder shared refs live in. */
function findGitDir(dir: string): { gitDir: string; commonDir: string } | null {
  let current = path.resolve(dir);
  for (let i = 0; i < MAX_PARENTS; i++) {
    const dotGit = path.join(current, '.git');
    let stat: fs.Stats | null = null;
    try {
      stat = fs.statSync(dotGit);
    } catch {
      stat = null;
    }
    if (stat?.isDirectory()) return { gitDir: dotGit, commonDir: dotGit };
    if (stat?.isFile()) {
      const pointer = readTextIfPresent(dotGit)?.match(/^gitdir:\s*(.+?)\s*$/m)?.[1];
      if (!pointer) return null;
      const gitDir = path.resolve(current, pointer);
      const common = readTextIfPresent(path.join(gitDir, 'commondir'))?.trim();
      return { gitDir, commonDir: common ? path.resolve(gitDir, common) : gitDir };
    }
    const parent = path.dirname(current);
    if (parent === current) return null;
    current = parent;
  }
  return null;
}

/** The commit a ref names: its loose file (in the worktree's or the shared folder), else packed-refs. */
function resolveRef(gitDir: string, commonDir: string, ref: string): string | null {
  // A ref name never climbs out of the git folder.
  if (ref.split('/').some((part) => part === '..' || part === '')) return null;
  for (const folder of [gitDir, commonDir]) {
    const loose = readTextIfPresent(path.join(folder, ref))?.trim();
    if (loose && SHA.test(loose)) return loose;
  }
  const packed = readTextIfPresent(path.join(commonDir, 'packed-refs'));
  for (const line of packed?.split(/\r?\n/) ?? []) {
    const [sha, name] = line.trim().split(/\s+/);
    if (name === ref && sha && SHA.test(sha)) return sha;
  }
  return null;
}

export function readGitHead(dir: string): GitHead {
  const found = findGitDir(dir);
  if (!found) return { commit: null, branch: null };
  const head = readTextIfPresent(path.join(found.gitDir, 'HEAD'))?.trim();
  if (!head) return { commit: null, branch: null };
  if (SHA.test(head)) return { commit: head, branch: null };
  const ref = head.match(/^ref:\s*(\S+)$/)?.[1];
  if (!ref) return { commit: null, branch: null };
  return { commit: resolveRef(found.gitDir, found.commonDir, ref), branch: ref.replace(/^refs\/heads\//, '') };
}

export function readProvenance(repoDir: string | undefined, command: string, startedAt: string): RunProvenance {
  if (!repoDir) return { repoDir: null, commit: null, branch: null, command, startedAt };
  const absolute = path.resolve(repoDir);
  return { repoDir: absolute, ...readGitHead(absolute), command, startedAt };
}
