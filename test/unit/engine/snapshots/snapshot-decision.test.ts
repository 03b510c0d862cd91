import { describe, expect, it } from 'vitest';
import { describeSnapshotUsage, snapshotWarning } from '../../../../electron/engine/gates/diagnosis/snapshot-usage';
import { compareMeasures } from '../../../../electron/engine/gates/snapshots/tool-rows';
import { SKELDIR_PROFILE } from '../../../../shared/profile/skeldir-profile';

const MB = 1024 * 1024;

describe('rows the tool left, compared exactly', () => {
  const left = { 'public.tenants': { rows: 2, checksum: 'aa' }, 'public.jobs': { rows: 1, checksum: 'bb' } };
  it('unchanged only when the same tables hold the same count and checksum', () => {
    expect(compareMeasures(left, { ...left })).toBeNull();
    expect(compareMeasures(left, { ...left, 'public.notes': { rows: 1, checksum: 'cc' } })).toBe('public.notes gained rows');
    expect(compareMeasures(left, { 'public.tenants': left['public.tenants'] })).toBe('public.jobs no longer holds rows');
    expect(compareMeasures(left, { ...left, 'public.tenants': { rows: 3, checksum: 'aa' } })).toBe('public.tenants holds 3 rows, 2 were left');
    expect(compareMeasures(left, { ...left, 'public.tenants': { rows: 2, checksum: 'zz' } })).toBe("public.tenants's rows changed");
  });
});

describe('E1 warns about piling snapshots', () => {
  it('past the count or the disk share, not before; the profile defaults are 5 and a quarter of the free space', () => {
    expect(SKELDIR_PROFILE.snapshotsWarnAbove).toBe(5);
    expect(SKELDIR_PROFILE.snapshotsWarnDiskShare).toBe(0.25);
    expect(snapshotWarning({ count: 5, bytes: 50 * MB, freeBytes: 1000 * MB }, SKELDIR_PROFILE)).toBeNull();
    expect(snapshotWarning({ count: 6, bytes: 60 * MB, freeBytes: null }, SKELDIR_PROFILE)).toBe('more than the profile\u2019s 5 (snapshotsWarnAbove)');
    expect(snapshotWarning({ count: 2, bytes: 300 * MB, freeBytes: 1000 * MB }, SKELDIR_PROFILE)).toBe(
      'more than 25% of the 1000.0 MB free on the server\u2019s data disk (snapshotsWarnDiskShare)',
    );
  });

  it('the step and finding carry the total size and the prune command; no snapshots, no step', () => {
    expect(describeSnapshotUsage({ count: 0, bytes: 0, freeBytes: null }, SKELDIR_PROFILE)).toEqual({ step: null, finding: null });
    const calm = describeSnapshotUsage({ count: 2, bytes: 16 * MB, freeBytes: null }, SKELDIR_PROFILE);
    expect(calm.step).toMatchObject({ id: 'snapshots', status: 'passed', detail: '2 safety snapshots of skeldir_validation, 16.0 MB in all' });
    expect(calm.finding).toBeNull();
    const many = describeSnapshotUsage({ count: 7, bytes: 56 * MB, freeBytes: null }, SKELDIR_PROFILE);
    expect(many.step?.status).toBe('warning');
    expect(many.step?.detail).toBe(
      '7 safety snapshots of skeldir_validation, 56.0 MB in all: more than the profile\u2019s 5 (snapshotsWarnAbove). Nothing is deleted unasked; keeping the newest 5 would be enough.',
    );
    expect(many.finding).toMatchObject({ id: 'SNAPSHOTS-PILING-UP', severity: 'warning', remediation: null, source: { gate: 'E1', step: 'snapshots' } });
  });
});
