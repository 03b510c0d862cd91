import * as fs from 'node:fs';
import type { Sessions } from '../../db/run-sessions';
import type { ConnectionSettings } from '../../../../shared/contract/connection';
import type { Profile } from '../../../../shared/profile/schema';
import type { Finding, StepReport } from '../../../../shared/report/report';
import { withClient } from '../../db/connect';
import { isLoopbackAddress } from '../../db/loopback';
import { sqlText } from '../../db/sql-files';
import { snapshotPrefix } from '../../copies/copy-names';
import type { HalfMadeCopy } from '../../../../shared/contract/copies';
import { findHalfMadeCopies } from '../../copies/half-made-copies';

/**
 * E1's look at the safety snapshots of the profile's database: nothing deletes them
 * unasked, so past the profile's count (`snapshotsWarnAbove`) or share of the free disk
 * (`snapshotsWarnDiskShare`) E1 warns, with their total size and the prune command.
 */
export interface SnapshotUsage {
  count: number;
  bytes: number;
  /** Free bytes on the server's data disk; null when the server is not on this machine or the folder is not readable. */
  freeBytes: number | null;
  /** Copies a crash left unfinished (read on the same session; see half-made-copies); absent when not read. */
  halfMade?: HalfMadeCopy[];
}

export const SNAPSHOTS_FINDING_ID = 'SNAPSHOTS-PILING-UP';

/** Free space where the server keeps its data, when it runs on this machine (a loopback host or the bundled server). */
async function freeDiskBytes(settings: ConnectionSettings, dataDirectory: string | null): Promise<number | null> {
  const local = settings.embedded || settings.host === 'localhost' || isLoopbackAddress(settings.host);
  if (!local || !dataDirectory) return null;
  try {
    const stats = await fs.promises.statfs(dataDirectory);
    return Number(stats.bavail) * Number(stats.bsize);
  } catch {
    return null;
  }
}

export async function readSnapshotUsage(sessions: Sessions, profile: Profile): Promise<SnapshotUsage | null> {
  const read = await withClient(sessions, { database: 'postgres' }, 'counting safety snapshots', async (admin) => {
    const row = (await admin.query<{ count: number; bytes: string }>(sqlText('e1/select-snapshot-usage'), [snapshotPrefix(profile.database.name)])).rows[0];
    const count = row?.count ?? 0;
    let dataDirectory: string | null = null;
    // Only worth asking (and allowed for superusers and pg_read_all_settings) when there are snapshots.
    if (count > 0) {
      try {
        dataDirectory = (await admin.query<{ data_directory: string }>(sqlText('e1/select-data-directory'))).rows[0]?.data_directory ?? null;
      } catch {
        dataDirectory = null;
      }
    }
    return { count, bytes: Number(row?.bytes ?? 0), dataDirectory, halfMade: await findHalfMadeCopies(admin, profile.database.name) };
  });
  if (!read.ok) return null;
  const { count, bytes, dataDirectory, halfMade } = read.value;
  return { count, bytes, freeBytes: count > 0 ? await freeDiskBytes(sessions.settings, dataDirectory) : null, halfMade };
}

export function formatSize(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** Why the snapshots deserve a warning (past the count, or past the disk share), or null. */
export function snapshotWarning(usage: SnapshotUsage, profile: Pick<Profile, 'snapshotsWarnAbove' | 'snapshotsWarnDiskShare'>): string | null {
  const reasons: string[] = [];
  if (usage.count > profile.snapshotsWarnAbove) reasons.push(`more than the profile\u2019s ${profile.snapshotsWarnAbove} (snapshotsWarnAbove)`);
  if (usage.freeBytes !== null && usage.bytes > usage.freeBytes * profile.snapshotsWarnDiskShare) {
    reasons.push(
      `more than ${Math.round(profile.snapshotsWarnDiskShare * 100)}% of the ${formatSize(usage.freeBytes)} free on the server\u2019s data disk (snapshotsWarnDiskShare)`,
    );
  }
  return reasons.length ? reasons.join('; ') : null;
}

/** The E1 step (and, past a bound, the finding) for the snapshots; nothing when there are none. */
export function describeSnapshotUsage(usage: SnapshotUsage | null, profile: Profile): { step: Omit<StepReport, 'durationMs'> | null; finding: Finding | null } {
  if (!usage || usage.count === 0) return { step: null, finding: null };
  const db = profile.database.name;
  const keep = Math.min(usage.count, Math.max(1, profile.snapshotsWarnAbove));
  const summary = `${usage.count} safety snapshot${usage.count === 1 ? '' : 's'} of ${db}, ${formatSize(usage.bytes)} in all`;
  const why = snapshotWarning(usage, profile);
  const evidence = {
    count: usage.count,
    bytes: usage.bytes,
    freeBytes: usage.freeBytes,
    warnAbove: profile.snapshotsWarnAbove,
    warnDiskShare: profile.snapshotsWarnDiskShare,
  };
  if (!why) return { step: { id: 'snapshots', title: 'Safety snapshots', status: 'passed', detail: summary, evidence }, finding: null };
  const detail = `${summary}: ${why}. Nothing is deleted unasked; keeping the newest ${keep} would be enough.`;
  return {
    step: { id: 'snapshots', title: 'Safety snapshots', status: 'warning', detail, evidence, action: 'remove-snapshots' },
    finding: {
      id: SNAPSHOTS_FINDING_ID,
      severity: 'warning',
      title: 'Safety snapshots are piling up',
      evidence: `${summary}: ${why}.`,
      explanation: `Each snapshot is a full copy of the database, kept until you remove it. Keep the newest ${keep} and remove the rest (you are asked first).`,
      remediation: null,
      action: 'remove-snapshots',
      source: { gate: 'E1', step: 'snapshots' },
    },
  };
}
