import { describe, expect, it } from 'vitest';
import type { RunProvenance } from '../../../../shared/report/report';
import { belonging, normalizeRepoDir, provenanceParts, repositoryLabel } from '../../../../renderer/state/provenance';

const run = (repoDir: string | null, commit: string | null = null, branch: string | null = null): RunProvenance => ({
  repoDir,
  commit,
  branch,
  command: 'rebuild',
  startedAt: '2026-12-07T00:00:00.000Z',
});

describe('results belong to a repository and a run', () => {
  it('the same repository, however its path is spelled, is "this"; another is "other"; no provenance is "unknown"', () => {
    expect(belonging(run('/work/skeldir'), '/work/skeldir/').kind).toBe('this');
    expect(belonging(run('C:\\Users\\dev\\Skeldir'), 'c:/users/dev/skeldir\\').kind).toBe('this');
    const other = belonging(run('/work/skeldir-2.0'), '/work/other-backend');
    expect(other).toEqual({ kind: 'other', provenance: run('/work/skeldir-2.0') });
    expect(belonging(undefined, '/work/skeldir').kind).toBe('unknown');
    // A run without a repository still belongs to a Setup without one.
    expect(belonging(run(null), '').kind).toBe('this');
    expect(belonging(run(null), '/work/skeldir').kind).toBe('other');
  });

  it('POSIX paths keep their case (two folders may differ only by it); Windows drive paths do not', () => {
    expect(normalizeRepoDir('/Work/Repo')).toBe('/Work/Repo');
    expect(normalizeRepoDir('D:\\Work\\Repo\\')).toBe('d:/work/repo');
    expect(normalizeRepoDir('/')).toBe('/');
  });

  it('labels the repository by its folder, short commit and branch, and the run by command and time', () => {
    expect(repositoryLabel(run('/work/skeldir-2.0', '0123456789abcdef0123456789abcdef01234567', 'main'))).toBe('skeldir-2.0 @ 0123456 (main)');
    expect(repositoryLabel(run('/work/skeldir-2.0'))).toBe('skeldir-2.0');
    expect(repositoryLabel(run(null))).toBe('no repository');
    const parts = provenanceParts(
      run('/work/skeldir-2.0'),
      (iso) => `at(${iso})`,
      (c) => `the ${c}`,
    );
    expect(parts).toEqual({ repository: 'skeldir-2.0', repoDir: '/work/skeldir-2.0', commit: null, run: 'the rebuild at at(2026-12-07T00:00:00.000Z)' });
  });
});
