import { appError, type AppError } from '../errors/app-error';

/** Safety snapshots and cache templates as the app lists them. */
export interface SnapshotInfo {
  name: string;
  createdAt: string | null;
  sizeBytes: number;
  source: string | null;
}

export interface TemplateInfo {
  name: string;
  key: string | null;
  createdAt: string | null;
  sizeBytes: number;
}

export interface CopiesView {
  database: string;
  snapshots: SnapshotInfo[];
  templates: TemplateInfo[];
  /** How many templates the profile keeps (its `templatesKept`); a new one drops the oldest beyond that. */
  templatesKept: number;
  /** Copies a crash left unrecorded or invalid: shown, never offered for restore (absent from older engines). */
  halfMade?: HalfMadeCopy[];
  /**
   * What the next "Rebuild with drop" would find in the cache, computed when the list was read
   * from the repository's files, the profile and the server; absent without a usable repository.
   */
  nextRebuild?: { key: string; template: string | null };
}

/**
 * A copy a crash left unrecorded (no metadata comment: PostgreSQL finished the copy, the tool
 * stopped before writing its record) or invalid (an interrupted drop): listed so it is not
 * hidden, never offered for restore as it is; the fix of COPY-HALF-MADE records a snapshot
 * copy as a snapshot and drops the rest.
 */
export interface HalfMadeCopy {
  name: string;
  why: 'no-metadata' | 'invalid';
  sizeBytes: number;
}

/** The snapshots a prune keeping the newest `keep` removes (the list is oldest first, as the engine lists it). */
export function snapshotsBeyond(snapshots: SnapshotInfo[], keep: number): SnapshotInfo[] {
  return snapshots.slice(0, Math.max(0, snapshots.length - keep));
}

/** A restore of a name that is not a snapshot of the database: the error names the ones that exist. */
export function noSuchSnapshot(name: string, database: string, snapshots: SnapshotInfo[]): AppError {
  return appError('usage', `There is no snapshot "${name}" of ${database}.`, {
    remediation: snapshots.length
      ? `Give one of the existing snapshots' names (newest last): ${snapshots.map((s) => s.name).join(', ')}.`
      : 'No snapshots exist yet: one is taken when a rebuild drops a database that holds rows.',
  });
}
