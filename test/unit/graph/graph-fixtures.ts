/**
 * In-test migration graphs. `guideRevisions` is the graph of the manual rebuild guide
 * (shared/spec/local-db-rebuild-guide.md): a core branch, a celery branch whose last
 * revision needs the core branch's `tenants` table, and a merge that never ordered them.
 */
import type { RevisionInfo, TableReference } from '../../../shared/graph/model';

export function rev(id: string, down: string | string[] | null, extra: Partial<Omit<RevisionInfo, 'id' | 'downRevisions'>> = {}): RevisionInfo {
  return {
    id,
    downRevisions: down === null ? [] : Array.isArray(down) ? down : [down],
    dependsOn: [],
    branchLabels: [],
    message: `revision ${id}`,
    createDate: null,
    file: `alembic/versions/${id}.py`,
    line: 10,
    creates: [],
    references: [],
    ...extra,
  };
}

const fk = (table: string, line = 30): TableReference => ({ table, line, kind: 'foreign-key' });
const sql = (table: string, line = 40): TableReference => ({ table, line, kind: 'sql' });

/** The guide's 12 revisions, in the order Alembic reads them (folder by folder, names sorted). */
export function guideRevisions(): RevisionInfo[] {
  const core = (id: string, down: string | null, date: string, extra: Partial<RevisionInfo> = {}) =>
    rev(id, down, { file: `alembic/versions/001_core_schema/${id}.py`, createDate: date, ...extra });
  const celery = (id: string, down: string | null, date: string, extra: Partial<RevisionInfo> = {}) =>
    rev(id, down, { file: `alembic/versions/006_celery_foundation/${id}.py`, createDate: date, ...extra });
  return [
    core('202511131115', 'baseline', '2025-11-13 11:15:00', {
      message: 'Add core tables for B0.3 schema foundation',
      creates: ['tenants', 'attribution_events', 'attribution_allocations'],
      references: [fk('tenants', 60), fk('tenants', 90), fk('attribution_events', 95)],
    }),
    core('202511131119', '202511131115', '2025-11-13 11:19:00', { message: 'Add materialized views', references: [sql('attribution_events')] }),
    core('202511131120', '202511131119', '2025-11-13 11:20:00', { message: 'Add RLS policies', references: [sql('tenants'), sql('attribution_events')] }),
    core('202511131121', '202511131120', '2025-11-13 11:21:00', { message: 'Add GRANTs for application roles', references: [sql('tenants')] }),
    core('baseline', null, '2025-11-13 11:00:00', { message: 'Schema Foundation Baseline' }),
    celery('202512120900', null, '2025-12-12 09:00:00', {
      message: 'Create Celery broker/result tables',
      branchLabels: ['celery_foundation'],
      creates: ['kombu_queue', 'kombu_message'],
      references: [fk('kombu_queue', 50)],
    }),
    celery('202512131200', '202512120900', '2025-12-13 12:00:00', { message: 'Create worker DLQ table', creates: ['celery_task_failures'] }),
    celery('202512131530', '202512131200', '2025-12-13 15:30:00', { message: 'Backfill Kombu SQLA transport sequences', references: [sql('kombu_message')] }),
    celery('202512131600', '202512131530', '2025-12-13 16:00:00', { message: 'Align kombu_message schema', references: [sql('kombu_message')] }),
    celery('202512151200', '202512131600', '2025-12-15 12:00:00', {
      message: 'Rename DLQ to canonical',
      creates: ['worker_failed_jobs'],
      drops: ['celery_task_failures'],
      references: [sql('celery_task_failures')],
    }),
    celery('202512151300', '202512151200', '2025-12-15 13:00:00', {
      message: 'Create attribution_recompute_jobs table',
      creates: ['attribution_recompute_jobs'],
      references: [fk('tenants', 42), sql('attribution_recompute_jobs', 60)],
    }),
    rev('202512151400', ['202511131121', '202512151300'], {
      file: 'alembic/versions/007_skeldir_foundation/202512151400_merge_skeldir_foundation.py',
      message: 'Merge skeldir_foundation',
      createDate: '2025-12-15 14:00:00',
      branchLabels: ['skeldir_foundation'],
    }),
  ];
}

export const CORE = ['baseline', '202511131115', '202511131119', '202511131120', '202511131121'];
export const CELERY = ['202512120900', '202512131200', '202512131530', '202512131600', '202512151200', '202512151300'];
export const MERGE = '202512151400';
