import type { Hazard } from '../../../shared/graph/hazards';
import type { MigrationGraph } from '../../../shared/graph/model';
import type { GraphOverlay } from '../../../shared/graph/overlay';
import type { Finding } from '../../../shared/report/report';
import { makeFinding } from './make-finding';

/**
 * E1's graph-aware symptoms: where alembic_version stands against the repository's
 * graph (one branch only, an unknown revision, heads not reached), graph errors, and
 * hazards a single-step upgrade would meet.
 */
export function graphFindings(graph: MigrationGraph, overlay: GraphOverlay | null, hazards: Hazard[]): Finding[] {
  const findings: Finding[] = [];
  if (graph.errors.length > 0) {
    const lines = graph.errors.slice(0, 5).map((e) => `${e.file ? `${e.file}${e.line ? `:${e.line}` : ''}: ` : ''}${e.message}`);
    findings.push(makeFinding('GRAPH-INVALID', lines.join('\n') + (graph.errors.length > 5 ? `\n\u2026 and ${graph.errors.length - 5} more` : '')));
  }
  if (overlay) {
    if (overlay.unknownRows.length > 0) {
      findings.push(makeFinding('UNKNOWN-REVISION', `alembic_version holds ${overlay.unknownRows.join(', ')}, which no revision file of this repository declares.`));
    }
    const rows = overlay.currentRows;
    if (rows.length > 0 && graph.bases.some((base) => overlay.states[base] === 'pending')) {
      findings.push(makeFinding('BRANCH-ONLY', `The database is ${overlay.summary.replace(/^at /, 'at ')}`));
    } else if (rows.length > 0 && overlay.unreachedHeads.length > 0 && graph.heads.length > 1) {
      findings.push(makeFinding('HEADS-NOT-APPLIED', `Heads not reached: ${overlay.unreachedHeads.join(', ')}. ${overlay.summary}`));
    }
  }
  for (const hazard of hazards) {
    findings.push(makeFinding('GRAPH-HAZARD', `${hazard.message.replace(/\.?$/, '.')} Fix for good: add \`${hazard.fix.dependsOnLine}\` to ${hazard.fix.file}.`));
  }
  return findings;
}
