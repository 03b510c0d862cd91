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
}
