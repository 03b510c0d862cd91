import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../../../shared/graph/build-graph';
import { overlayState } from '../../../../shared/graph/overlay';
import { graphFindings } from '../../../../electron/engine/gates/findings/graph-findings';
import { rev } from '../../graph/graph-fixtures';

/** Two branches that merge under label `main`, and a side branch beyond it (like a later feature branch). */
function twoTargets() {
  return buildGraph([
    rev('a1', null),
    rev('a2', 'a1'),
    rev('b1', null, { branchLabels: ['side_branch'] }),
    rev('m', ['a2', 'b1'], { branchLabels: ['main'] }),
    rev('x1', 'a2'),
  ]);
}

describe('graphFindings: heads and the target', () => {
  it('heads beyond a reached target are information without a fix', () => {
    const graph = twoTargets();
    const findings = graphFindings(graph, overlayState(graph, ['m']), [], 'main@head');
    expect(findings.map((f) => f.id)).toEqual(['HEADS-BEYOND-TARGET']);
    expect(findings[0].severity).toBe('info');
    expect(findings[0].remediation).toBeNull();
    expect(findings[0].evidence).toContain('x1');
    expect(findings[0].evidence).toContain('main@head');
  });

  it('a target not reached yet keeps the planned upgrade as the fix, naming the heads inside it', () => {
    const graph = twoTargets();
    const findings = graphFindings(graph, overlayState(graph, ['a2', 'b1']), [], 'main@head');
    expect(findings.map((f) => f.id)).toEqual(['HEADS-NOT-APPLIED']);
    expect(findings[0].remediation?.action).toBe('run-planned-upgrade');
    expect(findings[0].evidence).toMatch(/Target main@head not reached: 1 revision to run\. Heads not reached: m\./);
  });

  it('without a target it stays the plain heads finding', () => {
    const graph = twoTargets();
    const findings = graphFindings(graph, overlayState(graph, ['m']), []);
    expect(findings.map((f) => f.id)).toEqual(['HEADS-NOT-APPLIED']);
  });
});
