import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../../../../shared/graph/build-graph';
import { foldGraph } from '../../../../../shared/graph/fold-graph';
import type { GraphView } from '../../../../../shared/graph/graph-view';
import { layoutLanes, NODE_WIDTH } from '../../../../../shared/graph/lane-layout';
import { overlayState } from '../../../../../shared/graph/overlay';
import { buildPlanView } from '../../../../../shared/graph/plan-view';
import { SKELDIR_PROFILE } from '../../../../../shared/profile/skeldir-profile';
import { graphPins } from '../../../../../renderer/views/graph/graph-pins';
import { graphSvg } from '../../../../../renderer/views/graph/graph-svg';
import { guideRevisions } from '../../../graph/graph-fixtures';

function guideView(rows: string[]): GraphView {
  const graph = buildGraph(guideRevisions());
  return {
    repoDir: 'C:\\Users\\dev\\skeldir backend',
    iniPath: 'alembic.ini',
    graph,
    overlay: overlayState(graph, rows),
    plan: buildPlanView(graph, SKELDIR_PROFILE, rows),
    hazards: [],
  };
}

/** Every `translate(x,y)` group of the picture, in drawing order. */
function boxes(svg: string): { x: number; y: number }[] {
  return [...svg.matchAll(/<g transform="translate\(([-\d.]+),([-\d.]+)\)">/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]) }));
}

describe('graphSvg draws the lane layout the canvas shows', () => {
  const view = guideView(['202511131119']);
  const pins = graphPins(view, null);

  it('one box per laid-out node at its canvas position, folded runs as segments, lane names above', () => {
    const folded = foldGraph(view.graph, { pinned: pins.pinned });
    const layout = layoutLanes(folded);
    const svg = graphSvg(view, { folded, layout }, { pins, failed: null, showDepends: true });
    expect(boxes(svg)).toEqual(layout.nodes.map((n) => ({ x: n.x, y: n.y })));
    const segments = folded.nodes.filter((n) => n.kind === 'segment');
    expect(segments.length).toBeGreaterThan(0);
    for (const segment of segments) expect(svg).toContain(`${segment.revisions.length} revisions`);
    for (const lane of layout.lanes) expect(svg).toContain(`>${lane.name} \u00b7`);
    expect(svg).toContain(`width="${Math.ceil(layout.width)}"`);
    expect(svg.match(/<path d="M[-\d.]+,[-\d.]+ C/g)).toHaveLength(folded.edges.length);
    // Pinned revisions are drawn on their own with their badges: the current row and a head.
    expect(svg).toMatch(/>202511131119[^<]*<\/text>/);
    expect(svg).toMatch(/HEAD/);
    expect(svg).toMatch(/current/);
  });

  it('an expanded run is drawn revision by revision, exactly as the canvas after a click', () => {
    const foldedOnce = foldGraph(view.graph, { pinned: pins.pinned });
    const runs = foldedOnce.nodes.filter((n) => n.kind === 'segment' && n.run).map((n) => n.run as string);
    const folded = foldGraph(view.graph, { pinned: pins.pinned, expanded: runs });
    const layout = layoutLanes(folded);
    const svg = graphSvg(view, { folded, layout }, { pins, failed: null, showDepends: true });
    expect(folded.nodes.some((n) => n.kind === 'segment')).toBe(false);
    expect(boxes(svg)).toHaveLength(view.graph.order.length);
    expect(svg).not.toContain(' revisions');
    for (const node of layout.nodes) expect(node.x + NODE_WIDTH).toBeLessThanOrEqual(layout.width);
  });

  it('leaves out depends_on edges when the canvas hides them, and escapes text', () => {
    const graph = buildGraph([
      ...guideRevisions(),
      { ...guideRevisions()[0], id: 'dep<&>', downRevisions: ['202512151300'], dependsOn: ['202511131121'], branchLabels: [], message: 'a "quoted" <message>' },
    ]);
    const withDep: GraphView = { ...view, graph, overlay: overlayState(graph, []), plan: buildPlanView(graph, SKELDIR_PROFILE, []) };
    const depPins = graphPins(withDep, null);
    const folded = foldGraph(graph, { pinned: depPins.pinned, expandAll: true });
    const layout = layoutLanes(folded);
    const dependsEdges = folded.edges.filter((e) => e.kind === 'depends').length;
    expect(dependsEdges).toBeGreaterThan(0);
    const shown = graphSvg(withDep, { folded, layout }, { pins: depPins, failed: null, showDepends: true });
    const hidden = graphSvg(withDep, { folded, layout }, { pins: depPins, failed: null, showDepends: false });
    expect(shown.match(/<path d="M[-\d.]+,[-\d.]+ C/g)?.length).toBe((hidden.match(/<path d="M[-\d.]+,[-\d.]+ C/g)?.length ?? 0) + dependsEdges);
    expect(shown).toContain('dep&lt;&amp;&gt;');
    expect(shown).not.toContain('dep<&>');
  });
});
