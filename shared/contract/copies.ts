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
  /** Copies a crash left unfinished: shown, never offered for restore (absent from older engines). */
  halfMade?: HalfMadeCopy[];
}

/**
 * A copy a crash left unfinished (no metadata comment, or left invalid by an interrupted
 * drop): not a usable snapshot or template, listed so it is not hidden, and dropped by the
 * fix of COPY-HALF-MADE.
 */
export interface HalfMadeCopy {
  name: string;
  why: 'no-metadata' | 'invalid';
  sizeBytes: number;
}
