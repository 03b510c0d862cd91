import type { RunReport } from '../../shared/report/report';
import type { CacheNote } from './types';

/** What the report's cache section says, for the Snapshots view's note. */
export function cacheNoteOf(report: RunReport | null | undefined): CacheNote | null {
  const cache = report?.cache;
  if (!cache) return null;
  return { status: cache.status, key: cache.key, template: cache.template ?? null };
}

/** The safety snapshot a rebuild took before dropping the database. */
export function snapshotOf(report: RunReport | null | undefined): string | null {
  return report?.snapshot || null;
}
