import { describe, expect, it } from 'vitest';
import { parseRunReport } from '../../../shared/report/report-schema';

/** A report read from a file or over IPC: the typed sections are checked, older `extras` are lifted into them. */
const base = {
  command: 'rebuild',
  startedAt: '2025-12-15T14:00:00.000Z',
  server: { host: '127.0.0.1', port: 5432, version: '15.18', major: 15, embedded: true },
  gates: [],
  findings: [],
  database: null,
};

describe('parseRunReport', () => {
  it('accepts the sections a rebuild writes', () => {
    const parsed = parseRunReport(
      { ...base, cache: { key: 'k1', status: 'stored', template: 'db__tpl_k1' }, snapshot: 'db__snap_1', toolRows: 'recorded' },
      'a test',
    );
    expect(parsed.ok && parsed.value.cache).toEqual({ key: 'k1', status: 'stored', template: 'db__tpl_k1' });
    expect(parsed.ok && parsed.value.snapshot).toBe('db__snap_1');
  });

  it('refuses a section of the wrong shape, naming the field', () => {
    for (const [field, value] of [
      ['cache', 'warm'],
      ['cache', { key: 'k' }],
      ['snapshot', 3],
      ['restored', { restored: 'x' }],
    ] as const) {
      const parsed = parseRunReport({ ...base, [field]: value }, 'a test');
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.error.detail).toContain(field);
    }
  });

  it('reads a report saved before the sections were named (extras)', () => {
    const parsed = parseRunReport({ ...base, extras: { cache: { key: 'k2', status: 'warm', template: 't' }, snapshot: 'db__snap_2', unknown: 1 } }, 'a test');
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(parsed.value.cache?.status).toBe('warm');
      expect(parsed.value.snapshot).toBe('db__snap_2');
      expect('extras' in parsed.value).toBe(false);
    }
  });
});
