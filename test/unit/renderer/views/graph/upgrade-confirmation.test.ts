import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../../../../shared/graph/build-graph';
import type { GraphView } from '../../../../../shared/graph/graph-view';
import { overlayState } from '../../../../../shared/graph/overlay';
import { buildPlanView } from '../../../../../shared/graph/plan-view';
import { SKELDIR_PROFILE } from '../../../../../shared/profile/skeldir-profile';
import { upgradeConfirmation } from '../../../../../renderer/views/graph/upgrade-confirmation';
import { guideRevisions, rev } from '../../../graph/graph-fixtures';

/** The guide's graph plus a branch off 202511131120 that the profile's target does not include. */
const graph = buildGraph([...guideRevisions(), rev('side_a', '202511131120'), rev('side_b', 'side_a')]);

function viewAt(rows: string[] | null): GraphView {
  return {
    repoDir: '/repo',
    iniPath: '/repo/alembic.ini',
    graph,
    overlay: rows === null ? null : overlayState(graph, rows),
    plan: buildPlanView(graph, SKELDIR_PROFILE, rows ?? []),
    hazards: [],
  };
}

describe('what "Upgrade to here" says before it runs', () => {
  it('the revisions Alembic would run from the database rows, none outside the target on its own branch', () => {
    const toCore = upgradeConfirmation(viewAt(['202511131115']), '202511131121');
    expect(toCore).toEqual({ revisions: ['202511131119', '202511131120', '202511131121'], refusal: null, outsideTarget: [] });
  });

  it('names the revisions the profile\u2019s target does not include', () => {
    const side = upgradeConfirmation(viewAt(['202511131121']), 'side_b');
    expect(side.revisions).toEqual(['side_a', 'side_b']);
    expect(side.outsideTarget).toEqual(['side_a', 'side_b']);
  });

  it('says Alembic would refuse a row it does not know, and says nothing it cannot know when the state was not read', () => {
    expect(upgradeConfirmation(viewAt(['deadbeef0000']), '202511131121')).toMatchObject({
      revisions: null,
      refusal: expect.stringContaining('deadbeef0000'),
    });
    expect(upgradeConfirmation(viewAt(null), '202511131121')).toEqual({ revisions: null, refusal: null, outsideTarget: [] });
  });
});
