import { describe, it, expect } from 'vitest';
import { buildGraph } from '../../../shared/graph/build-graph';
import { analyzeHazards, findCreator } from '../../../shared/graph/hazards';
import { guideRevisions, rev } from './graph-fixtures';

const guide = buildGraph(guideRevisions());

describe('analyzeHazards', () => {
  it('predicts failure 1 before anything runs, with both fixes', () => {
    const r = analyzeHazards(guide, [], 'skeldir_foundation@head');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toHaveLength(1);
    const h = r.value[0];
    expect(h).toMatchObject({
      revision: '202512151300',
      table: 'tenants',
      line: 42,
      kind: 'foreign-key',
      createdBy: '202511131115',
      createdByBranch: 'core_schema',
      when: 'later',
    });
    expect(h.message).toBe('202512151300 references tenants, created by 202511131115 on another branch that this upgrade would run later');
    expect(h.fix.safePlan.map((s) => s.target)).toEqual(['202511131121', 'skeldir_foundation@head']);
    expect(h.fix.dependsOnLine).toBe("depends_on = ('202511131121',)");
    expect(h.fix.dependsOn).toBe('202511131121');
    expect(h.fix.file).toBe('alembic/versions/006_celery_foundation/202512151300.py');
    expect(h.fix.why).toContain('202511131115');
  });

  it('keeps existing depends_on entries in the suggested line', () => {
    const g = buildGraph(guideRevisions().map((r) => (r.id === '202512151300' ? { ...r, dependsOn: ['202512131200'] } : r)));
    const r = analyzeHazards(g, [], 'skeldir_foundation@head');
    expect(r.ok && r.value[0].fix.dependsOnLine).toBe("depends_on = ('202512131200', '202511131121')");
  });

  it('names the creator itself when no merge is involved', () => {
    const g = buildGraph([rev('c1', null, { creates: ['tenants'] }), rev('j1', null, { references: [{ table: 'tenants', line: 7, kind: 'sql' }] })]);
    const r = analyzeHazards(g, [], 'j1');
    expect(r.ok && r.value.map((h) => [h.fix.dependsOnLine, h.when])).toEqual([["depends_on = ('c1',)", 'not-run']]);
    if (r.ok) expect(r.value[0].message).toContain('which this upgrade does not run');
  });

  it('finds nothing when the database already has the tables', () => {
    expect(analyzeHazards(guide, ['202511131121'], 'skeldir_foundation@head')).toEqual({ ok: true, value: [] });
  });

  it('ignores tables no revision creates', () => {
    const g = buildGraph([rev('a', null, { references: [{ table: 'pg_roles', line: 1, kind: 'sql' }] })]);
    expect(analyzeHazards(g, [], 'heads')).toEqual({ ok: true, value: [] });
  });
});

describe('findCreator', () => {
  it("reads PostgreSQL's message and names the revision and branch to run first", () => {
    const hint = findCreator(guide, 'psycopg2.errors.UndefinedTable: relation "tenants" does not exist');
    expect(hint).toMatchObject({ table: 'tenants', revision: '202511131115', branch: 'core_schema' });
    expect(hint?.message).toBe('run revision 202511131115 on branch core_schema first (it creates tenants)');
  });

  it('accepts plain, qualified and quoted names', () => {
    expect(findCreator(guide, 'public.tenants')?.revision).toBe('202511131115');
    expect(findCreator(guide, 'TENANTS')?.revision).toBe('202511131115');
    expect(findCreator(guide, '"worker_failed_jobs"')?.revision).toBe('202512151200');
  });

  it('returns null when no revision creates the relation', () => {
    expect(findCreator(guide, 'relation "nope" does not exist')).toBeNull();
    expect(findCreator(guide, '')).toBeNull();
  });
});
