import type { Hazard } from '../../../../shared/graph/hazards';
import type { MigrationGraph } from '../../../../shared/graph/model';
import type { GraphOverlay } from '../../../../shared/graph/overlay';
import { ancestorsOf } from '../../../../shared/graph/relations';
import { resolveTarget } from '../../../../shared/graph/resolve-target';
import { overlappingRows, upgradeRevisions } from '../../../../shared/graph/upgrade-revisions';
import type { Finding } from '../../../../shared/report/report';
import { makeFinding, withAction } from './make-finding';

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
        withAction(
          makeFinding('UNKNOWN-REVISION', `alembic_version holds ${overlay.unknownRows.join(', ')}, which no revision file of this repository declares.`),
          'rebuild-from-scratch',
        ),
      );
    }
    const rows = overlay.currentRows;
    const overlap = overlappingRows(graph, rows);
    if (overlap) {
      const [descendant, ancestor] = overlap;
      findings.push(
        makeFinding(
          'VERSION-ROWS-OVERLAP',
          `alembic_version holds both ${descendant} and its ancestor ${ancestor}: Alembic refuses every upgrade ("Requested revision ${descendant} overlaps with other requested revisions ${ancestor}"). ` +
            `Delete the ancestor\u2019s row: \`DELETE FROM alembic_version WHERE version_num = '${ancestor}';\``,
        ),
      );
    } else if (rows.length > 0 && graph.bases.some((base) => overlay.states[base] === 'pending')) {
      findings.push(makeFinding('BRANCH-ONLY', `The database is ${overlay.summary.replace(/^at /, 'at ')}`));
    } else if (rows.length > 0 && overlay.unreachedHeads.length > 0 && graph.heads.length > 1) {
      findings.push(headsFinding(graph, overlay, target));
    }
  }
  for (const hazard of hazards) {
    findings.push(
      // The why says when the line names a revision other than the table's creator (the branch's last before the merge).
      makeFinding(
        'GRAPH-HAZARD',
        `${hazard.message.replace(/\.?$/, '.')} Fix for good: add \`${hazard.fix.dependsOnLine}\` to ${hazard.fix.file}. ${hazard.fix.why}`,
      ),
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
  // The summary counts every revision up to every head: said as where the database stands, apart from the count to the target.
  const standing = `Where the database stands: ${overlay.summary}.`;
  const notReached = `Heads not reached: ${overlay.unreachedHeads.join(', ')}. ${standing}`;
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
      `Target ${target} not reached: ${pending.value.length} revision${pending.value.length === 1 ? '' : 's'} to run. Heads not reached: ${heads.join(', ')}. ${standing}`,
    );
  }
  const beyond = overlay.unreachedHeads.filter((head) => !inTarget.has(head));
  return makeFinding(
    'HEADS-BEYOND-TARGET',
    `The database is at the target ${target}. Heads outside it: ${(beyond.length > 0 ? beyond : overlay.unreachedHeads).join(', ')}.`,
  );
}

/** The database's tables as E1 read them: those in the public schema, and the profile's expected ones that are not. */
export interface TablesRead {
  present: string[];
  missing: string[];
}

/**
 * Why tables are missing or in the way, read against the graph: a table whose creating
 * revision is recorded as applied was dropped afterwards (TABLES-DROPPED), and tables the
 * revisions create, present while alembic_version records nothing, make the first upgrade
 * fail with DuplicateTable (SCHEMA-UNRECORDED). The planned upgrade fixes neither: a
 * rebuild from scratch does. Tables no revision creates say nothing either way.
 */
export function tableFindings(graph: MigrationGraph, overlay: GraphOverlay, tables: TablesRead): Finding[] {
  if (overlay.currentRows.length === 0 && overlay.unknownRows.length === 0) {
    const made = tables.present.filter((table) => creatorOf(graph, table) !== undefined);
    if (made.length === 0) return [];
    const shown = made.slice(0, 6).join(', ') + (made.length > 6 ? ` and ${made.length - 6} more` : '');
    // The upgrade runs in graph order: it stops at the first revision whose table is there.
    const first = graph.order.find((id) => graph.revisions[id]?.creates.some((table) => made.includes(table))) as string;
    const blocking = graph.revisions[first].creates.find((table) => made.includes(table)) as string;
    return [
      withAction(
        makeFinding(
          'SCHEMA-UNRECORDED',
          `alembic_version records no revision, but ${made.length} table${made.length === 1 ? '' : 's'} the revisions create already exist: ${shown}. ` +
            `An upgrade would run them from the start and fail at revision ${first} (it creates ${blocking}).`,
        ),
        'rebuild-from-scratch',
      ),
    ];
  }
  return [...droppedFindings(graph, overlay, tables), ...aheadFindings(graph, overlay, tables)];
}

/** Missing tables whose creating revision is recorded as applied: dropped afterwards. */
function droppedFindings(graph: MigrationGraph, overlay: GraphOverlay, tables: TablesRead): Finding[] {
  const dropped = tables.missing.filter((table) => {
    const creator = creatorOf(graph, table);
    return creator !== undefined && overlay.states[creator] !== 'pending';
  });
  if (dropped.length === 0) return [];
  const notYet = tables.missing.filter((table) => !dropped.includes(table));
  return [
    withAction(
      makeFinding(
        'TABLES-DROPPED',
        `Missing: ${dropped.map((table) => `${table} (created by ${creatorOf(graph, table)}, applied)`).join(', ')}.` +
          (notYet.length > 0 ? ` Also missing, not created by any applied revision: ${notYet.join(', ')}.` : '') +
          renamedHint(
            dropped,
            tables.present.filter((table) => table !== 'alembic_version' && creatorOf(graph, table) === undefined),
          ),
      ),
      'rebuild-from-scratch',
    ),
  ];
}

/**
 * Tables present that only revisions still to run create: alembic_version is behind the
 * schema (set back by hand, or the schema made outside Alembic), and the upgrade would stop
 * at the first of them with DuplicateTable. A table that an applied revision also creates
 * (dropped and made again later in the graph) says nothing.
 */
function aheadFindings(graph: MigrationGraph, overlay: GraphOverlay, tables: TablesRead): Finding[] {
  const ahead = tables.present.filter((table) => {
    const creators = creatorsOf(graph, table);
    return creators.length > 0 && creators.every((id) => overlay.states[id] === 'pending');
  });
  if (ahead.length === 0) return [];
  const first = graph.order.find((id) => overlay.states[id] === 'pending' && graph.revisions[id]?.creates.some((table) => ahead.includes(table))) as string;
  const blocking = graph.revisions[first].creates.find((table) => ahead.includes(table)) as string;
  const shown = ahead.slice(0, 6).map((table) => `${table} (made by ${creatorsOf(graph, table)[0]}, not applied)`);
  return [
    withAction(
      makeFinding(
        'SCHEMA-AHEAD-OF-VERSION',
        `alembic_version holds ${overlay.currentRows.join(', ')}, but ${ahead.length} table${ahead.length === 1 ? '' : 's'} that revisions still to run create already ${ahead.length === 1 ? 'exists' : 'exist'}: ` +
          `${shown.join(', ')}${ahead.length > 6 ? ` and ${ahead.length - 6} more` : ''}. An upgrade would stop at revision ${first} (it creates ${blocking}).`,
      ),
      'rebuild-from-scratch',
    ),
  ];
}

/** The revisions that create `table`, in graph order: the first is its creator, a later one makes it again after a drop. */
function creatorsOf(graph: MigrationGraph, table: string): string[] {
  return graph.order.filter((id) => graph.revisions[id]?.creates.includes(table));
}

function creatorOf(graph: MigrationGraph, table: string): string | undefined {
  return creatorsOf(graph, table)[0];
}

/**
 * Where the schema is ahead of alembic_version, an upgrade runs into what is already there:
 * the findings that offer it as their fix say so instead of offering it.
 */
export function withoutUpgradeWhenAhead(findings: Finding[]): Finding[] {
  if (!findings.some((finding) => finding.id === 'SCHEMA-AHEAD-OF-VERSION')) return findings;
  return findings.map((finding) =>
    finding.remediation?.action === 'run-planned-upgrade'
      ? { ...finding, remediation: null, evidence: `${finding.evidence} The upgrade is no fix here: see SCHEMA-AHEAD-OF-VERSION.` }
      : finding,
  );
}

/**
 * Tables present that no revision creates, beside tables that went missing: one may be a
 * missing table renamed by hand, which renaming back mends without a rebuild.
 */
function renamedHint(dropped: string[], strangers: string[]): string {
  if (strangers.length === 0) return '';
  const shown = strangers.slice(0, 6).join(', ') + (strangers.length > 6 ? ` and ${strangers.length - 6} more` : '');
  const back =
    dropped.length === 1 && strangers.length === 1
      ? `\`ALTER TABLE ${strangers[0]} RENAME TO ${dropped[0]};\``
      : '`ALTER TABLE <present> RENAME TO <missing>;`';
  return ` Present, created by no revision: ${shown}. If one of them is a missing table renamed, renaming it back (${back}) mends it without a rebuild.`;
}
