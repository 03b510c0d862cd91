import { describe, it, expect } from 'vitest';
import { buildGraph } from '../../../shared/graph/build-graph';
import { findTraps, planSafeUpgrade, upgradeRevisions } from '../../../shared/graph/plan';
import type { RevisionInfo } from '../../../shared/graph/model';
import { CELERY, CORE, MERGE, guideRevisions, rev } from './graph-fixtures';

const guide = buildGraph(guideRevisions());
const plan = (g: typeof guide, rows: string[], target: string) => {
  const r = planSafeUpgrade(g, rows, target);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

describe('planSafeUpgrade on the guide graph', () => {
  it("derives the guide's two steps from an empty database", () => {
    const p = plan(guide, [], 'skeldir_foundation@head');
    expect(p.steps.map((s) => s.target)).toEqual(['202511131121', 'skeldir_foundation@head']);
    expect(p.steps[0].revisions).toEqual(CORE);
    expect(p.steps[1].revisions).toEqual([...CELERY, MERGE]);
    expect(p.steps[0].reason).toContain('tenants');
    expect(p.steps[0].reason).toContain('202512151300');
    expect(p.unresolved).toEqual([]);
    expect(p.hazards.map((h) => [h.revision, h.table, h.createdBy])).toEqual([['202512151300', 'tenants', '202511131115']]);
  });

  it('gives the same steps for celery_foundation@head', () => {
    expect(plan(guide, [], 'celery_foundation@head').steps.map((s) => s.target)).toEqual(['202511131121', 'celery_foundation@head']);
  });

  it("repairs the guide's broken state (celery only)", () => {
    const p = plan(guide, ['202512151200'], 'skeldir_foundation@head');
    expect(p.steps.map((s) => [s.target, s.revisions])).toEqual([
      ['202511131121', CORE],
      ['skeldir_foundation@head', ['202512151300', MERGE]],
    ]);
    expect(p.unresolved).toEqual([]);
  });

  it('skips steps that are already applied', () => {
    const p = plan(guide, ['202511131121'], 'skeldir_foundation@head');
    expect(p.steps.map((s) => s.target)).toEqual(['skeldir_foundation@head']);
    expect(p.hazards).toEqual([]);
    expect(plan(guide, [MERGE], 'skeldir_foundation@head').steps).toEqual([]);
  });

  it('reports the merge as a trap', () => {
    const traps = findTraps(guide, [], 'skeldir_foundation@head');
    expect(traps.ok && traps.value.map((t) => [t.merge, t.parents, t.firstParents])).toEqual([[MERGE, ['202511131121', '202512151300'], ['202511131121']]]);
  });

  it('passes errors through', () => {
    expect(planSafeUpgrade(guide, [], 'nope').ok).toBe(false);
    expect(upgradeRevisions(guide, [], 'head').ok).toBe(true);
  });
});

describe('planSafeUpgrade elsewhere', () => {
  it('plans a single step when nothing is at risk', () => {
    const g = buildGraph([rev('a', null, { creates: ['t'] }), rev('b', 'a', { references: [{ table: 't', line: 3, kind: 'sql' }] })]);
    const p = plan(g, [], 'head');
    expect(p.steps.map((s) => s.target)).toEqual(['head']);
    expect(p.steps[0].reason).toContain('safe');
    expect(p.traps).toEqual([]);
  });

  it('runs a creating branch first even when it is the newer one', () => {
    // Here the older branch (o) needs a table from the newer one (n).
    const g = buildGraph([
      rev('o1', null, { createDate: '2024-01-01', references: [{ table: 'jobs', line: 5, kind: 'foreign-key' }] }),
      rev('n1', null, { createDate: '2024-06-01', creates: ['jobs'] }),
      rev('m', ['n1', 'o1'], { createDate: '2024-07-01' }),
    ]);
    expect(upgradeRevisions(g, [], 'm')).toEqual({ ok: true, value: ['o1', 'n1', 'm'] });
    const p = plan(g, [], 'm');
    expect(p.steps.map((s) => s.target)).toEqual(['n1', 'm']);
    expect(p.unresolved).toEqual([]);
  });

  it('upgrades to the creator first when no merge joins the branches', () => {
    const g = buildGraph([rev('c1', null, { creates: ['tenants'] }), rev('j1', null, { references: [{ table: 'tenants', line: 7, kind: 'foreign-key' }] })]);
    const p = plan(g, [], 'j1');
    expect(p.hazards.map((h) => h.when)).toEqual(['not-run']);
    expect(p.steps.map((s) => s.target)).toEqual(['c1', 'j1']);
    expect(p.unresolved).toEqual([]);
  });

  it('puts the creating parents first, then the others oldest first, leaving one for the final step', () => {
    const needs = (t: string) => ({ references: [{ table: t, line: 1, kind: 'sql' as const }] });
    const revisions: RevisionInfo[] = [
      rev('p3', null, { createDate: '2024-03-01', creates: ['t1'] }),
      rev('p1', null, { createDate: '2024-01-01', ...needs('t1') }),
      rev('p2', null, { createDate: '2024-02-01', ...needs('t4') }),
      rev('p4', 'p3', { createDate: '2024-04-01', creates: ['t4'] }),
      rev('m', ['p4', 'p2', 'p1'], { createDate: '2024-05-01' }),
    ];
    const g = buildGraph(revisions);
    expect(upgradeRevisions(g, [], 'm')).toEqual({ ok: true, value: ['p1', 'p2', 'p3', 'p4', 'm'] });
    const p = plan(g, [], 'm');
    expect(p.hazards.map((h) => [h.revision, h.createdBy])).toEqual([
      ['p1', 'p3'],
      ['p2', 'p4'],
    ]);
    expect(p.steps.map((s) => s.target)).toEqual(['p4', 'p1', 'm']);
    expect(p.unresolved).toEqual([]);
  });
});
