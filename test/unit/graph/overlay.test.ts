import { describe, it, expect } from 'vitest';
import { buildGraph } from '../../../shared/graph/build-graph';
import { overlayState } from '../../../shared/graph/overlay';
import { CELERY, CORE, MERGE, guideRevisions, rev } from './graph-fixtures';

const guide = buildGraph(guideRevisions());

describe('overlayState', () => {
  it('describes an empty database', () => {
    const o = overlayState(guide, []);
    expect(o.summary).toBe('empty database: no revision applied');
    expect(o.pending).toEqual(guide.order);
    expect(o.unreachedHeads).toEqual([MERGE]);
  });

  it("describes the guide's broken state: celery only, core missing", () => {
    const o = overlayState(guide, ['202512151200']);
    expect(o.summary).toBe(
      'at 202512151200 on the celery_foundation branch only; core_schema (baseline … 202511131121) not applied; 7 revisions pending to reach head 202512151400',
    );
    expect(o.states['202512151200']).toBe('current');
    expect(o.states['202512120900']).toBe('applied');
    expect(o.states['202512151300']).toBe('pending');
    expect(o.applied).toEqual(CELERY.slice(0, 5));
    expect(o.pending).toEqual([...CORE, '202512151300', MERGE]);
  });

  it('says when the database is at head', () => {
    const o = overlayState(guide, [MERGE]);
    expect(o.summary).toBe('at head 202512151400 (skeldir_foundation)');
    expect(o.pending).toEqual([]);
    expect(o.unreachedHeads).toEqual([]);
  });

  it('describes two branch rows', () => {
    const o = overlayState(guide, ['202512151300', '202511131121']);
    expect(o.currentRows).toEqual(['202511131121', '202512151300']);
    expect(o.summary).toBe('at 202511131121 (core_schema) and 202512151300 (celery_foundation); 1 revision pending to reach head 202512151400');
  });

  it('counts depends_on as applied, like Alembic', () => {
    const g = buildGraph([rev('c1', null), rev('d1', null, { dependsOn: ['c1'] })]);
    expect(overlayState(g, ['d1']).states.c1).toBe('applied');
  });

  it('reports rows the project does not know', () => {
    const o = overlayState(guide, ['deadbeef']);
    expect(o.unknownRows).toEqual(['deadbeef']);
    expect(o.summary).toContain('deadbeef');
    expect(o.summary).toContain('another checkout');
    expect(overlayState(guide, [MERGE, 'deadbeef']).summary).toMatch(/^at head 202512151400 \(skeldir_foundation\); alembic_version holds deadbeef/);
  });

  it('names multiple heads', () => {
    const g = buildGraph([rev('a', null), rev('b', 'a'), rev('c', 'a')]);
    expect(overlayState(g, ['b', 'c']).summary).toBe('at heads b, c');
    expect(overlayState(g, ['b']).summary).toBe('at b on the b branch; 1 revision pending to reach head c');
  });
});
