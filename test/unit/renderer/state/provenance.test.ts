import { describe, expect, it } from 'vitest';
import type { RunProvenance, ServerInfo } from '../../../../shared/report/report';
import { belonging, changedAfter, normalizeRepoDir, notThisTitle, provenanceParts, repositoryLabel, serverLabel } from '../../../../renderer/state/provenance';

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
    expect(other).toEqual({ kind: 'other', why: 'repository', provenance: run('/work/skeldir-2.0') });
    expect(belonging(undefined, '/work/skeldir').kind).toBe('unknown');
    // A run without a repository still belongs to a Setup without one.
    expect(belonging(run(null), '').kind).toBe('this');
    expect(belonging(run(null), '/work/skeldir').kind).toBe('other');
  });

  it('another cluster is another server, whatever host and port say; an unknown cluster on either side judges nothing', () => {
    const bundled = (port: number, systemId: string | null | undefined): ServerInfo => ({
      host: '127.0.0.1',
      port,
      version: '15.18',
      major: 15,
      embedded: true,
      ...(systemId === undefined ? {} : { systemId }),
    });
    const ran = (server: ServerInfo | undefined): RunProvenance => ({ ...run('/work/skeldir'), ...(server ? { server } : {}) });
    // The bundled server's port changes at every start: the same cluster on another port is the same server.
    expect(belonging(ran(bundled(54329, '7716660086038337376')), '/work/skeldir', bundled(41001, '7716660086038337376')).kind).toBe('this');
    // A new data folder is a new cluster, even on the same port.
    const moved = belonging(ran(bundled(54329, '7716660086038337376')), '/work/skeldir', bundled(54329, '7716660086038339999'));
    expect(moved).toMatchObject({ kind: 'other', why: 'server' });
    // A report from before the identifier was recorded, a role that may not read it, no server reached yet: no judgement.
    expect(belonging(ran(undefined), '/work/skeldir', bundled(1, '1')).kind).toBe('this');
    expect(belonging(ran(bundled(1, null)), '/work/skeldir', bundled(1, '1')).kind).toBe('this');
    expect(belonging(ran(bundled(1, '1')), '/work/skeldir', null).kind).toBe('this');
    // The repository is compared first: another repository is said as such.
    expect(belonging(ran(bundled(1, '1')), '/work/other', bundled(1, '2'))).toMatchObject({ kind: 'other', why: 'repository' });
    expect(notThisTitle('server')).toBe('Not run against this server');
    expect(serverLabel(bundled(54329, '1'))).toBe('the bundled server at 127.0.0.1:54329');
    expect(serverLabel({ ...bundled(5432, '1'), embedded: false, host: 'localhost' })).toBe('localhost:5432');
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

  it('test results are said to be older than the database once a later run changed it; a diagnosis changes nothing', () => {
    const tested = { ...run('/work/skeldir'), startedAt: '2026-12-07T10:00:00.000Z' };
    const later = (command: string, startedAt = '2026-12-07T11:00:00.000Z') => ({ command, startedAt });
    expect(changedAfter(tested, later('rebuild'))).toEqual(later('rebuild'));
    expect(changedAfter(tested, later('restore'))?.command).toBe('restore');
    expect(changedAfter(tested, later('fix GUC-MISSING'))?.command).toBe('fix GUC-MISSING');
    expect(changedAfter(tested, later('diagnose'))).toBeNull();
    expect(changedAfter(tested, later('verify'))).toBeNull();
    // The run that tested, or one before it, changed nothing the results do not know of.
    expect(changedAfter(tested, later('rebuild', tested.startedAt))).toBeNull();
    expect(changedAfter(null, later('rebuild'))).toBeNull();
  });
});
