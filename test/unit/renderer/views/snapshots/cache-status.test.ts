import { describe, expect, it } from 'vitest';
import type { TemplateInfo } from '../../../../../shared/contract/copies';
import { cacheStatus } from '../../../../../renderer/views/snapshots/cache-status';
import { newestFirst } from '../../../../../renderer/views/snapshots/newest-first';

const template = (key: string | null, createdAt: string | null = '2025-12-15T14:00:00.000Z'): TemplateInfo => ({
  name: `db__tpl_${key ?? 'x'}`,
  key,
  createdAt,
  sizeBytes: 8_000_000,
});
const KEY = 'a'.repeat(64);

describe('cacheStatus', () => {
  it('is cold without templates', () => {
    expect(cacheStatus([], { status: 'warm', key: KEY, template: 'db__tpl' })).toMatchObject({ tone: 'cold', template: null });
  });

  it('is warm when a template has the key of the last rebuild, and names it', () => {
    const status = cacheStatus([template('b'.repeat(64)), template(KEY)], { status: 'stored', key: KEY, template: `db__tpl_${KEY}` });
    expect(status).toMatchObject({ tone: 'warm', template: `db__tpl_${KEY}` });
    expect(status.text).toContain('will be warm');
    expect(status.text).toContain('aaaaaaaaaaaa…');
  });

  it('is cold when the last rebuild\u2019s key matches no template (a migration changed)', () => {
    expect(cacheStatus([template('b'.repeat(64))], { status: 'cold', key: KEY, template: null })).toMatchObject({ tone: 'cold' });
  });

  it('takes the engine\u2019s answer, asked when the list was read, over what the last rebuild said (a restore or a reload since changes nothing)', () => {
    const templates = [template(KEY), template('b'.repeat(64))];
    const warm = cacheStatus(templates, null, { key: KEY, template: `db__tpl_${KEY}` });
    expect(warm).toMatchObject({ tone: 'warm', template: `db__tpl_${KEY}` });
    // A template of the key whose roles were since made again is no answer: cold, though the last rebuild was warm.
    const stale = cacheStatus(templates, { status: 'warm', key: KEY, template: `db__tpl_${KEY}` }, { key: KEY, template: null });
    expect(stale).toMatchObject({ tone: 'cold', template: null });
    expect(stale.text).toMatch(/^No template fits the migrations, profile, server and roles as they are now \(key aaaaaaaaaaaa…\)/);
  });

  it('says what decides it when no rebuild has told the current key', () => {
    const status = cacheStatus([template(KEY), template('b'.repeat(64))], null);
    expect(status.tone).toBe('unknown');
    expect(status.text).toMatch(/^2 templates are stored/);
  });
});

describe('newestFirst', () => {
  it('orders by time, newest first; unreadable times last, by name', () => {
    const items = [
      { name: 'c', createdAt: null },
      { name: 'old', createdAt: '2025-01-01T00:00:00Z' },
      { name: 'b', createdAt: 'garbage' },
      { name: 'new', createdAt: '2025-12-01T00:00:00Z' },
    ];
    expect(newestFirst(items).map((i) => i.name)).toEqual(['new', 'old', 'b', 'c']);
  });
});
