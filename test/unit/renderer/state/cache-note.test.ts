import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../../../shared/report/report';
import type { ReportSections } from '../../../../shared/report/report-sections';
import { cacheNoteOf, snapshotOf } from '../../../../renderer/state/cache-note';

const report = (sections: ReportSections = {}): RunReport => ({
  command: 'rebuild',
  startedAt: '2025-12-15T14:00:00.000Z',
  server: { host: '127.0.0.1', port: 5432, version: '15.18', major: 15, embedded: true },
  gates: [],
  findings: [],
  database: null,
  ...sections,
});

describe('cacheNoteOf', () => {
  it('reads the warm, stored and failed shapes the pipeline writes', () => {
    expect(cacheNoteOf(report({ cache: { key: 'k1', status: 'warm', template: 'db__tpl_k1' } }))).toEqual({
      status: 'warm',
      key: 'k1',
      template: 'db__tpl_k1',
    });
    expect(cacheNoteOf(report({ cache: { key: 'k1', status: 'cold', template: null } }))).toEqual({ status: 'cold', key: 'k1', template: null });
    expect(cacheNoteOf(report({ cache: { key: 'k1', status: 'store-failed', error: { code: 'snapshot-failed', message: 'disk full' } } }))).toEqual({
      status: 'store-failed',
      key: 'k1',
      template: null,
    });
  });

  it('is null without a report or a cache section', () => {
    expect(cacheNoteOf(null)).toBeNull();
    expect(cacheNoteOf(report())).toBeNull();
  });
});

describe('snapshotOf', () => {
  it('names the snapshot a rebuild took, and nothing else', () => {
    expect(snapshotOf(report({ snapshot: 'db__snap_20251215140000' }))).toBe('db__snap_20251215140000');
    expect(snapshotOf(report({ snapshot: '' }))).toBeNull();
    expect(snapshotOf(report())).toBeNull();
    expect(snapshotOf(undefined)).toBeNull();
  });
});
