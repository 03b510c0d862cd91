import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../../../shared/graph/build-graph';
import { overlayState } from '../../../../shared/graph/overlay';
import { graphFindings, tableFindings, withoutUpgradeWhenAhead } from '../../../../electron/engine/gates/findings/graph-findings';
import { migrationFinding } from '../../../../electron/engine/gates/findings/migration-findings';
import { SKELDIR_PROFILE } from '../../../../shared/profile/skeldir-profile';
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
  it('a row beside its own ancestor is said as what Alembic refuses, with the row to delete; not as heads to apply', () => {
    const graph = twoTargets();
    const findings = graphFindings(graph, overlayState(graph, ['m', 'a1']), [], 'main@head');
    expect(findings.map((f) => f.id)).toEqual(['VERSION-ROWS-OVERLAP']);
    expect(findings[0].severity).toBe('error');
    expect(findings[0].evidence).toBe(
      'alembic_version holds both m and its ancestor a1: Alembic refuses every upgrade ("Requested revision m overlaps with other requested revisions a1"). ' +
        "Delete the ancestor\u2019s row: `DELETE FROM alembic_version WHERE version_num = 'a1';`",
    );
  });

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
    // The count to the target, then where the database stands as a sentence of its own (its count is to every head).
    expect(findings[0].evidence).toMatch(/^Target main@head not reached: 1 revision to run\. Heads not reached: m\. Where the database stands: at a2 .*\.$/);
  });

  it('a hazard\u2019s fix says why its depends_on names the revision it names', () => {
    const graph = twoTargets();
    const why = 'Naming a2, the last revision before merge m, rather than a1 alone makes Alembic run the whole branch.';
    const hazard = {
      revision: 'b1',
      table: 'tenants',
      line: 12,
      kind: 'sql' as const,
      createdBy: 'a1',
      createdByBranch: 'main',
      when: 'later' as const,
      message: 'b1 needs tenants, which a1 creates later',
      fix: { safePlan: [], dependsOn: 'a2', dependsOnLine: "depends_on = ('a2',)", file: 'versions/b1.py', why },
    };
    const [finding] = graphFindings(graph, null, [hazard]);
    expect(finding.evidence).toBe(`b1 needs tenants, which a1 creates later. Fix for good: add \`depends_on = ('a2',)\` to versions/b1.py. ${why}`);
  });

  it('without a target it stays the plain heads finding', () => {
    const graph = twoTargets();
    const findings = graphFindings(graph, overlayState(graph, ['m']), []);
    expect(findings.map((f) => f.id)).toEqual(['HEADS-NOT-APPLIED']);
  });
});

/** tenants (t1), then jobs (t2), then a revision that creates nothing (t3). */
function tablesGraph() {
  return buildGraph([rev('t1', null, { creates: ['tenants'] }), rev('t2', 't1', { creates: ['jobs'] }), rev('t3', 't2')]);
}

describe('tableFindings: missing or unrecorded tables read against the graph', () => {
  it('a table whose creating revision is applied was dropped afterwards: rebuild, not the planned upgrade', () => {
    const graph = tablesGraph();
    const findings = tableFindings(graph, overlayState(graph, ['t3']), { present: ['alembic_version', 'tenants'], missing: ['jobs'] });
    expect(findings.map((f) => [f.id, f.action, f.remediation])).toEqual([['TABLES-DROPPED', 'rebuild-from-scratch', null]]);
    expect(findings[0].evidence).toBe('Missing: jobs (created by t2, applied).');
  });

  it('a table present that no revision creates may be the missing one renamed: the rename back is named', () => {
    const graph = tablesGraph();
    const one = tableFindings(graph, overlayState(graph, ['t3']), { present: ['alembic_version', 'jobs_old', 'tenants'], missing: ['jobs'] });
    expect(one[0].evidence).toBe(
      'Missing: jobs (created by t2, applied). Present, created by no revision: jobs_old. If one of them is a missing table renamed, renaming it back (`ALTER TABLE jobs_old RENAME TO jobs;`) mends it without a rebuild.',
    );
    const two = tableFindings(graph, overlayState(graph, ['t3']), { present: ['alembic_version', 'a_copy', 'b_copy'], missing: ['jobs', 'tenants'] });
    expect(two[0].evidence).toMatch(/Present, created by no revision: a_copy, b_copy\. .*`ALTER TABLE <present> RENAME TO <missing>;`/);
  });

  it('a table whose revision has not run yet is the upgrade\u2019s to make: no finding', () => {
    const graph = tablesGraph();
    expect(tableFindings(graph, overlayState(graph, ['t1']), { present: ['alembic_version', 'tenants'], missing: ['jobs'] })).toEqual([]);
  });

  it('tables the revisions create, present with no version recorded, would make the upgrade fail at their revision', () => {
    const graph = tablesGraph();
    const findings = tableFindings(graph, overlayState(graph, []), { present: ['alembic_version', 'jobs', 'notes', 'tenants'], missing: [] });
    expect(findings.map((f) => [f.id, f.action])).toEqual([['SCHEMA-UNRECORDED', 'rebuild-from-scratch']]);
    expect(findings[0].evidence).toBe(
      'alembic_version records no revision, but 2 tables the revisions create already exist: jobs, tenants. An upgrade would run them from the start and fail at revision t1 (it creates tenants).',
    );
  });

  it('tables only revisions still to run create, present already: alembic_version is behind the schema, and the upgrade is no fix', () => {
    const graph = tablesGraph();
    const findings = tableFindings(graph, overlayState(graph, ['t1']), { present: ['alembic_version', 'jobs', 'tenants'], missing: [] });
    expect(findings.map((f) => [f.id, f.severity, f.action, f.remediation])).toEqual([['SCHEMA-AHEAD-OF-VERSION', 'error', 'rebuild-from-scratch', null]]);
    expect(findings[0].evidence).toBe(
      'alembic_version holds t1, but 1 table that revisions still to run create already exists: jobs (made by t2, not applied). An upgrade would stop at revision t2 (it creates jobs).',
    );
    // Beside it, a finding whose fix is the upgrade keeps its evidence but offers no upgrade.
    const heads = {
      id: 'HEADS-NOT-APPLIED',
      severity: 'warning' as const,
      title: 't',
      evidence: 'Target not reached.',
      remediation: { action: 'run-planned-upgrade', label: 'x' },
    };
    expect(withoutUpgradeWhenAhead([heads, ...findings])[0]).toMatchObject({
      remediation: null,
      evidence: 'Target not reached. The upgrade is no fix here: see SCHEMA-AHEAD-OF-VERSION.',
    });
    expect(withoutUpgradeWhenAhead([heads])[0]).toBe(heads);
  });

  it('a table an applied revision also creates (made again later in the graph) is no sign of it', () => {
    const graph = buildGraph([rev('t1', null, { creates: ['tenants'] }), rev('t2', 't1', { creates: ['tenants'] })]);
    expect(tableFindings(graph, overlayState(graph, ['t1']), { present: ['alembic_version', 'tenants'], missing: [] })).toEqual([]);
  });

  it('an upgrade that fails on an object already there says the schema is ahead, with the rebuild as the way out', () => {
    const finding = migrationFinding(
      {
        index: 1,
        target: 'skeldir_foundation@head',
        running: 'Running upgrade 202512151400 -> 202512151410',
        errorType: 'DuplicateColumn',
        sqlstate: '42701',
        message: 'column "allocation_ratio" of relation "attribution_allocations" already exists',
        text: '',
      },
      SKELDIR_PROFILE,
      null,
    );
    expect(finding).toMatchObject({ id: 'SCHEMA-AHEAD-OF-VERSION', action: 'rebuild-from-scratch' });
    expect(finding.evidence).toContain('The database already holds what 202512151410 makes');
  });

  it('tables no revision creates, in a database with no version recorded, say nothing', () => {
    const graph = tablesGraph();
    expect(tableFindings(graph, overlayState(graph, []), { present: ['notes'], missing: ['tenants', 'jobs'] })).toEqual([]);
  });
});
