import type { Hazard } from '../../../../shared/graph/hazards';
import type { MigrationGraph } from '../../../../shared/graph/model';
import type { GraphOverlay } from '../../../../shared/graph/overlay';
import { ancestorsOf } from '../../../../shared/graph/relations';
import { resolveTarget } from '../../../../shared/graph/resolve-target';
import { upgradeRevisions } from '../../../../shared/graph/upgrade-revisions';
import type { Finding } from '../../../../shared/report/report';
import { makeFinding } from './make-finding';

/**
 * E1's graph-aware symptoms: where alembic_version stands against the repository's
 * graph (one branch only, an unknown revision, heads not reached), graph errors, and
 * hazards a single-step upgrade would meet. `target` is the upgrade target the plan
 * aims at: heads outside it are information, since upgrading to them is not the fix.
 */
export function graphFindings(graph: MigrationGraph, overlay: GraphOverlay | null, hazards: Hazard[], target?: string): Finding[] {
  const findings: Finding[] = [];
  if (graph.errors.length > 0) {
    const lines = graph.errors.slice(0, 5).map((e) => `${e.file ? `${e.file}${e.line ? `:${e.line}` : ''}: ` : ''}${e.message}`);
    findings.push(makeFinding('GRAPH-INVALID', lines.join('\n') + (graph.errors.length > 5 ? `\n\u2026 and ${graph.errors.length - 5} more` : '')));
  }
  if (overlay) {
    if (overlay.unknownRows.length > 0) {
      findings.push(
        makeFinding('UNKNOWN-REVISION', `alembic_version holds ${overlay.unknownRows.join(', ')}, which no revision file of this repository declares.`),
      );
    }
    const rows = overlay.currentRows;
    if (rows.length > 0 && graph.bases.some((base) => overlay.states[base] === 'pending')) {
      findings.push(makeFinding('BRANCH-ONLY', `The database is ${overlay.summary.replace(/^at /, 'at ')}`));
    } else if (rows.length > 0 && overlay.unreachedHeads.length > 0 && graph.heads.length > 1) {
      findings.push(headsFinding(graph, overlay, target));
    }
  }
  for (const hazard of hazards) {
    findings.push(
      makeFinding('GRAPH-HAZARD', `${hazard.message.replace(/\.?$/, '.')} Fix for good: add \`${hazard.fix.dependsOnLine}\` to ${hazard.fix.file}.`),
    );
  }
  return findings;
}

/**
 * Unreached heads split by the target: while the target still has revisions to run, the
 * planned upgrade is the fix; once it is reached, the remaining heads lie beyond it and
 * an upgrade "to every head" is no fix (it can fail outright on a branch outside the target).
 */
function headsFinding(graph: MigrationGraph, overlay: GraphOverlay, target: string | undefined): Finding {
  const notReached = `Heads not reached: ${overlay.unreachedHeads.join(', ')}. ${overlay.summary}`;
  if (target === undefined) return makeFinding('HEADS-NOT-APPLIED', notReached);
  const pending = upgradeRevisions(graph, overlay.currentRows, target);
  // A target the graph cannot resolve or plan is reported elsewhere (R4's plan); keep the old wording.
  if (!pending.ok) return makeFinding('HEADS-NOT-APPLIED', notReached);
  const resolved = resolveTarget(graph, target, overlay.currentRows);
  const inTarget = resolved.ok ? ancestorsOf(graph, resolved.value.revisions, { includeDependencies: true }) : new Set<string>();
  if (pending.value.length > 0) {
    const within = overlay.unreachedHeads.filter((head) => inTarget.has(head));
    const heads = within.length > 0 ? within : overlay.unreachedHeads;
    return makeFinding(
      'HEADS-NOT-APPLIED',
      `Target ${target} not reached: ${pending.value.length} revision${pending.value.length === 1 ? '' : 's'} to run. Heads not reached: ${heads.join(', ')}. ${overlay.summary}`,
    );
  }
  const beyond = overlay.unreachedHeads.filter((head) => !inTarget.has(head));
  return makeFinding(
    'HEADS-BEYOND-TARGET',
    `The database is at the target ${target}. Heads outside it: ${(beyond.length > 0 ? beyond : overlay.unreachedHeads).join(', ')}.`,
  );
}
