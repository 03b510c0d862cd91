import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readGitHead, readProvenance } from '../../../../electron/engine/project/read-provenance';
import { makeTempDir } from '../../../support/temp-dir';

const SHA_A = 'a'.repeat(40);
const SHA_B = '0123456789abcdef0123456789abcdef01234567';
const tempDir = () => makeTempDir('provenance-');
function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

describe('which commit a repository is at, read from .git without running git', () => {
  it('a branch with a loose ref, from the repository root or a folder inside it', () => {
    const repo = tempDir();
    write(path.join(repo, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    write(path.join(repo, '.git', 'refs', 'heads', 'main'), `${SHA_A}\n`);
    expect(readGitHead(repo)).toEqual({ commit: SHA_A, branch: 'main' });
    fs.mkdirSync(path.join(repo, 'backend', 'alembic'), { recursive: true });
    expect(readGitHead(path.join(repo, 'backend', 'alembic'))).toEqual({ commit: SHA_A, branch: 'main' });
  });

  it('a branch only in packed-refs, and a detached HEAD', () => {
    const repo = tempDir();
    write(path.join(repo, '.git', 'HEAD'), 'ref: refs/heads/feature/x\n');
    write(
      path.join(repo, '.git', 'packed-refs'),
      `# pack-refs with: peeled fully-peeled sorted\n${SHA_A} refs/heads/main\n${SHA_B} refs/heads/feature/x\n^${SHA_A}\n`,
    );
    expect(readGitHead(repo)).toEqual({ commit: SHA_B, branch: 'feature/x' });
    write(path.join(repo, '.git', 'HEAD'), `${SHA_B}\n`);
    expect(readGitHead(repo)).toEqual({ commit: SHA_B, branch: null });
  });

  it('a worktree: .git is a file naming the git folder, whose commondir holds the shared refs', () => {
    const main = tempDir();
    const worktree = tempDir();
    const gitDir = path.join(main, '.git', 'worktrees', 'wt');
    write(path.join(main, '.git', 'refs', 'heads', 'topic'), `${SHA_B}\n`);
    write(path.join(gitDir, 'HEAD'), 'ref: refs/heads/topic\n');
    write(path.join(gitDir, 'commondir'), '../..\n');
    write(path.join(worktree, '.git'), `gitdir: ${gitDir}\n`);
    expect(readGitHead(worktree)).toEqual({ commit: SHA_B, branch: 'topic' });
  });

  it('not a git checkout, an unborn branch or a ref that climbs out: no commit, no error', () => {
    // A folder outside any checkout (the temp folder's parents are not one either).
    expect(readGitHead(tempDir())).toEqual({ commit: null, branch: null });
    const unborn = tempDir();
    write(path.join(unborn, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    expect(readGitHead(unborn)).toEqual({ commit: null, branch: 'main' });
    write(path.join(unborn, '.git', 'HEAD'), 'ref: ../../etc/passwd\n');
    expect(readGitHead(unborn).commit).toBeNull();
  });

  it('the provenance of a run: absolute repository, commit, command and time; none without a repository', () => {
    const repo = tempDir();
    write(path.join(repo, '.git', 'HEAD'), `${SHA_A}\n`);
    expect(readProvenance(`${repo}${path.sep}`, 'rebuild', '2026-12-07T00:00:00.000Z')).toEqual({
      repoDir: repo,
      commit: SHA_A,
      branch: null,
      command: 'rebuild',
      startedAt: '2026-12-07T00:00:00.000Z',
    });
    expect(readProvenance(undefined, 'diagnose', 't')).toEqual({ repoDir: null, commit: null, branch: null, command: 'diagnose', startedAt: 't' });
  });
});
