import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../../../../shared/graph/build-graph';
import type { GraphView } from '../../../../../shared/graph/graph-view';
import { overlayState } from '../../../../../shared/graph/overlay';
import { buildPlanView } from '../../../../../shared/graph/plan-view';
import { SKELDIR_PROFILE } from '../../../../../shared/profile/skeldir-profile';
import { nodeState, STATE_LABEL } from '../../../../../renderer/views/graph/node-states';
import { stateCounts } from '../../../../../renderer/views/graph/state-counts';
import { guideRevisions } from '../../../graph/graph-fixtures';

const graph = buildGraph(guideRevisions());
const viewAt = (rows: string[]): GraphView => ({
  repoDir: '/repo',
  iniPath: '/repo/alembic.ini',
  graph,
  overlay: overlayState(graph, rows),
  plan: buildPlanView(graph, SKELDIR_PROFILE, rows),
  hazards: [],
});

describe('node states beside a row this repository does not know', () => {
  it('what a known row implies stays applied; the rest is unknown, not pending, and lanes count nothing', () => {
    const view = viewAt(['202511131115', 'deadbeef0000']);
    expect(nodeState(view, 'baseline', null, false)).toBe('applied');
    expect(nodeState(view, '202511131115', null, false)).toBe('current');
    expect(nodeState(view, '202511131121', null, false)).toBe('unknown');
    expect(STATE_LABEL.unknown).toBe('state unknown');
    expect(stateCounts(view, graph.order, null).known).toBe(false);
  });

  it('with every row known, not applied is pending, and counted', () => {
    const view = viewAt(['202511131115']);
    expect(nodeState(view, '202511131121', null, false)).toBe('pending');
    expect(stateCounts(view, ['baseline', '202511131115', '202511131121'], null)).toEqual({ applied: 2, pending: 1, failed: 0, known: true });
  });
});
