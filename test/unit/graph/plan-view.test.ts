import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../../shared/graph/build-graph';
import { buildPlanView } from '../../../shared/graph/plan-view';
import { SKELDIR_PROFILE } from '../../../shared/profile/skeldir-profile';
import { rev } from './graph-fixtures';

/** Another project's graph: none of the Skeldir profile's revisions or labels. */
const other = buildGraph([rev('a1', null), rev('a2', 'a1', { branchLabels: ['core'] }), rev('b1', null)]);

describe('buildPlanView on a repository the profile was not written for', () => {
  it('says the profile\u2019s plan names what the graph lacks, and how to choose a target of the graph', () => {
    const view = buildPlanView(other, SKELDIR_PROFILE, []);
    expect(view.error?.message).toMatch(
      /^The profile \u201cSkeldir \(B0\.5\.3\.2 local parity\)\u201d plans 202511131121 then skeldir_foundation@head, which this repository does not have: /,
    );
    expect(view.error?.action).toBe('choose-target');
  });

  it('a profile whose explicit plan walks but whose target the graph lacks is still refused, naming the target', () => {
    const profile = { ...SKELDIR_PROFILE, migrations: { ...SKELDIR_PROFILE.migrations, target: 'nonexistent_rev', plan: ['a2'] } };
    const view = buildPlanView(other, profile, []);
    expect(view.error?.message).toMatch(
      /^The profile \u201cSkeldir \(B0\.5\.3\.2 local parity\)\u201d upgrades to nonexistent_rev, which this repository does not have: /,
    );
  });

  it('a target the user names keeps the plain message: the mistake is theirs to correct', () => {
    const view = buildPlanView(other, SKELDIR_PROFILE, [], { target: 'nosuch', fromGraph: true });
    expect(view.error?.message).toMatch(/^No such revision or branch 'nosuch'/);
  });

  it('planned from the graph to one of its own targets, there is no error', () => {
    const view = buildPlanView(other, SKELDIR_PROFILE, [], { target: 'heads', fromGraph: true });
    expect(view.error).toBeUndefined();
    expect(view.revisions.sort()).toEqual(['a1', 'a2', 'b1']);
  });
});
