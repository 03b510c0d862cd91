import type { RunReport } from '../../shared/report/report';
import type { CacheNote } from './types';

/** report.extras.cache as the engine writes it ({ status, key, template }), checked field by field. */
export function cacheNoteOf(report: RunReport | null | undefined): CacheNote | null {
  const cache = report?.extras?.cache;
  if (typeof cache !== 'object' || cache === null) return null;
  const { status, key, template } = cache as Record<string, unknown>;
  if (typeof status !== 'string') return null;
  return { status, key: typeof key === 'string' ? key : null, template: typeof template === 'string' ? template : null };
}

/** report.extras.snapshot: the safety snapshot a rebuild took before dropping the database. */
export function snapshotOf(report: RunReport | null | undefined): string | null {
  const snapshot = report?.extras?.snapshot;
  return typeof snapshot === 'string' && snapshot !== '' ? snapshot : null;
}
