import type { ConnectionSettings } from '../../../shared/contract/connection';
import type { EmitEvent } from '../../../shared/contract/events';
import type { AppError } from '../../../shared/errors/app-error';
import { analyzeHazards, type Hazard } from '../../../shared/graph/hazards';
import { overlayState } from '../../../shared/graph/overlay';
import { buildPlanView, type PlanView } from '../../../shared/graph/plan-view';
import { simulateVersionRows } from '../../../shared/graph/upgrade-revisions';
import { alembicBlockers, testBlockers, type PrerequisiteReport } from '../../../shared/prerequisites/prerequisites';
import type { Profile } from '../../../shared/profile/schema';
import { GATE_IDS, type GateId } from '../../../shared/report/gates';
import type { Finding, GateReport, RunReport } from '../../../shared/report/report';
import { bootstrap, type BootstrapOptions } from '../bootstrap/bootstrap';
import { diagnose, type DiagnosisResult } from '../diagnosis/diagnose';
import { readAlembicVersion } from '../diagnosis/read-alembic-version';
import { graphFindings } from '../findings/graph-findings';
import { trackFindingGates, withStepFindings } from '../findings/make-finding';
import { validationFindings } from '../findings/migration-findings';
import { migrate } from '../migrate/migrate-gate';
import { applicationDatabaseUrl } from '../migrate/application-url';
import { openProject, type OpenProject } from '../project/open-project';
import { readProvenance } from '../project/read-provenance';
import { checkPrerequisitesRecent } from '../python/prerequisites-memo';
import { runValidation } from '../validation/run-validation';
import { readWorkflowFiles } from '../ci/read-workflows';
import { verifySchema } from '../verify/verify-schema';
import type { MigrationSql } from '../verify/check-migration-privileges';
import { offlineMigrationSql } from '../verify/offline-migration-sql';
import { verifyFindings } from '../findings/verify-findings';
import { GateRecorder, notRunGate } from './gate-recorder';
import { withRebuildLock } from './with-rebuild-lock';
import { computeCacheKey } from '../cache/cache-key';
import { findCached, storeTemplate, tidyAndPrepareSpare, type CachedCopies } from '../cache/template-cache';
import { outsideRun, withRunConnections } from '../db/run-connections';
import { snapshotBeforeDrop } from '../snapshots/safety-snapshots';
import { recordToolRows } from '../snapshots/tool-rows';

/**
 * The one pipeline behind every front: diagnose is E1, bootstrap is E1→E2→E3,
 * rebuild runs every gate, migrate/verify/validate run E1 and their gate. It stops at
 * the first failed gate; later requested gates are reported as blocked.
 */
export interface PipelineRequest {
  command: string;
  gates: GateId[];
  settings: ConnectionSettings;
  profile: Profile;
  /** The backend repository; needed for R4, VERIFY's version check and R5. */
  repoDir?: string;
  pythonFlag?: string;
  bootstrap?: BootstrapOptions;
  target?: string;
  fromGraph?: boolean;
  /** Run exactly these `alembic upgrade` targets, unplanned (used to reproduce failure 1, and by "upgrade to here"). */
  explicitTargets?: string[];
  skipValidation?: boolean;
  /** R5 runs suites whose code points at another database server (the user confirmed it). */
  allowRemoteTests?: boolean;
  signal?: AbortSignal;
  migrationTimeoutMs?: number;
  /** Template cache: clone a verified template instead of migrating when the key matches (rebuild with drop only). */
  cache?: { enabled: boolean };
  /**
   * Where to hand housekeeping that need not delay the report (dropping a renamed-aside
   * database, preparing the next spare copy). Without it, runPipeline does it before returning.
   */
  defer?: (task: () => Promise<void>) => void;
  /** VERIFY first re-applies the grants and revokes of the planned revisions that do not hold (the fix of MIGRATION-GRANTS-MISSING). */
  repairPrivileges?: boolean;
}

interface Context {
  project: OpenProject | null;
  projectError?: AppError;
  prerequisites: PrerequisiteReport | null;
}

export async function runPipeline(request: PipelineRequest, emit: EmitEvent): Promise<RunReport> {
  // One run reuses its sessions (see run-connections).
  return withRunConnections(() =>
    // ── rebuild lock (issue 7): a run that changes the database (E2, E3, R4) holds a lock file and a
    // PostgreSQL advisory lock, so a second one (another CLI, another app window, another machine) is refused.
    withRebuildLock(request, emit, async () => runGates(request, emit, await loadContext(request))),
  );
}

async function runGates(request: PipelineRequest, reportTo: EmitEvent, context: Context): Promise<RunReport> {
  // Remembers which gate reported each finding: a failed step no finding explains becomes one.
  const { emit, sourceOf } = trackFindingGates(reportTo);
  const startedAt = new Date().toISOString();
  const { settings, profile } = request;
  const gates: GateReport[] = [];
  const runFindings: Finding[] = [];
  const wants = (gate: GateId) => request.gates.includes(gate);
  const extras: Record<string, unknown> = {};
  let stopped: string | null = null;
  const blockOrRun = async (gate: GateId, run: () => Promise<boolean>) => {
    if (!wants(gate)) return;
    if (stopped) {
      gates.push(notRunGate(gate, 'blocked', emit, stopped));
      return;
    }
    if (request.signal?.aborted) {
      stopped = 'cancelled';
      gates.push(notRunGate(gate, 'blocked', emit, 'cancelled'));
      return;
    }
    const passed = await run();
    if (!passed) stopped = `${gate} failed`;
  };

  if (context.project) extras.graph = { revisions: Object.keys(context.project.graph.revisions).length, heads: context.project.graph.heads };
  if (context.prerequisites) extras.prerequisites = context.prerequisites;

  const e1 = await diagnoseWithContext(request, context, emit);
  if (wants('E1')) gates.push(e1.gate);
  if (e1.gate.status === 'failed') stopped = 'E1 could not reach the server';

  const cache = !stopped ? await lookUpCache(request, context, e1.state.server.major) : null;
  if (cache) extras.cache = { key: cache.key, status: cache.template ? 'warm' : 'cold', template: cache.template };
  let restoredFrom: string | null = null;
  let createdHere = false;
  let needsHousekeeping = Boolean(cache);
  // A drop the migrations cannot follow would leave an empty database behind: it does not
  // start. R4 still says why.
  const unmigratable = request.bootstrap?.dropExisting && wants('R4') ? whyMigrationsCannotFollow(request, context, Boolean(cache?.template)) : null;
  if (wants('E2') || wants('E3')) {
    const notStarted = stopped ?? (unmigratable ? `nothing dropped: R4 could not run afterwards (${unmigratable})` : null);
    if (notStarted) {
      for (const gate of ['E2', 'E3'] as const) if (wants(gate)) gates.push(notRunGate(gate, 'blocked', emit, notStarted));
    } else {
      const options: BootstrapOptions = {
        ...(request.bootstrap ?? { dropExisting: false, confirmed: false, allowRemote: false }),
        signal: request.signal,
        beforeDrop: snapshotBeforeDrop(settings, profile, (name) => {
          extras.snapshot = name;
        }),
        deferDrop: () => {
          needsHousekeeping = true;
        },
        ...(cache?.template ? { fromTemplate: { name: cache.template, key: cache.key, spare: cache.spare } } : {}),
      };
      const result = await bootstrap(settings, profile, options, emit);
      gates.push(...result.gates);
      if (!result.ok) stopped = 'bootstrap failed';
      const created = result.gates.flatMap((g) => g.steps).find((s) => s.id === 'create-database');
      if (cache?.template && created?.status === 'passed') restoredFrom = cache.template;
      createdHere = created?.status === 'passed';
    }
  }

  let plan: PlanView | null = null;
  let rowsBefore: string[] = [];
  await blockOrRun('R4', async () => {
    const project = context.project;
    const missing = requireProject(context);
    if (!project || missing) {
      gates.push(failedGate('R4', missing ?? 'no repository', emit));
      return false;
    }
    rowsBefore = (await readAlembicVersion(settings, profile)) ?? [];
    plan = planFor(request, project, rowsBefore);
    extras.plan = plan;
    if (restoredFrom && cache) {
      gates.push(restoredGate(restoredFrom, cache.key, rowsBefore, emit));
      return true;
    }
    const result = await migrate(
      {
        settings,
        profile,
        prerequisites: context.prerequisites ?? { python: null, checks: [], ok: false },
        iniPath: project.iniPath,
        graph: project.graph,
        plan,
        signal: request.signal,
        timeoutMs: request.migrationTimeoutMs,
      },
      emit,
    );
    gates.push(result.gate);
    runFindings.push(...result.findings);
    return result.gate.status === 'passed';
  });

  await blockOrRun('VERIFY', async () => {
    const project = context.project;
    let expected: string[] | null = null;
    if (project && plan) {
      expected = simulateVersionRows(project.graph, rowsBefore, (plan as PlanView).revisions);
    } else if (project) {
      const current = (await readAlembicVersion(settings, profile)) ?? [];
      expected = simulateVersionRows(project.graph, current, planFor({ ...request, explicitTargets: undefined }, project, current).revisions);
    }
    const gate = await verifySchema(
      { settings, profile, expectedVersions: expected, migrationSql: migrationSqlFor(request, context), repairPrivileges: request.repairPrivileges },
      emit,
    );
    gates.push(gate);
    const grantFindings = verifyFindings(gate);
    for (const finding of grantFindings) emit({ kind: 'finding', finding });
    runFindings.push(...grantFindings);
    if (gate.status === 'passed' && cache && !restoredFrom && isFullColdRebuild(request)) {
      // The database is exactly what a cold rebuild makes: keep it for the next rebuild.
      const stored = await storeTemplate(settings, profile, cache.key);
      extras.cache = stored.ok
        ? { key: cache.key, status: 'stored', template: stored.value.name }
        : { key: cache.key, status: 'store-failed', error: stored.error };
    }
    return gate.status === 'passed';
  });

  if (wants('R5') && request.skipValidation && !stopped) {
    gates.push(notRunGate('R5', 'skipped', emit, 'not requested for this run (--skip-validation, or "Skip the validation tests" in the app)'));
  } else {
    await blockOrRun('R5', async () => {
      const python = context.prerequisites?.python;
      const missing = requireProject(context) ?? (python ? testBlockersOf(context.prerequisites) : null);
      if (!python || missing) {
        gates.push(failedGate('R5', missing ?? 'no Python interpreter with pytest was found (see E1\u2019s prerequisite checks)', emit));
        return false;
      }
      const repoDir = context.project?.repoDir ?? request.repoDir ?? '';
      // Each suite runs with the environment of the CI step that names it (workflow files read now: they may have changed).
      const workflows = await readWorkflowFiles(repoDir);
      // The tool has logged in as the application role with this password in this run (E1, R4 or VERIFY).
      const loginVerified =
        gates.some((g) => (g.id === 'R4' || g.id === 'VERIFY') && g.status === 'passed') ||
        Boolean(e1.state.database?.connections.some((c) => c.role === profile.applicationRole && c.ok));
      const result = await runValidation({
        python,
        repoDir,
        suites: profile.validationSuites,
        databaseUrl: applicationDatabaseUrl(settings, profile),
        timeoutSeconds: profile.validationTimeoutSeconds,
        signal: request.signal,
        emit,
        workflows: workflows.files,
        allowRemoteTests: request.allowRemoteTests,
        applicationLoginVerified: loginVerified,
      });
      gates.push(result.gate);
      runFindings.push(...result.findings);
      // The password finding already says why the tests failed; the generic one would repeat it.
      const explained = result.findings.some((f) => f.id === 'R5-PASSWORD-MISMATCH');
      const found = result.gate.status === 'passed' || explained ? [] : validationFindings(result.failureTexts);
      for (const finding of found) emit({ kind: 'finding', finding });
      runFindings.push(...found);
      return result.gate.status === 'passed';
    });
  }
  for (const gate of GATE_IDS) if (wants(gate) && !gates.some((g) => g.id === gate)) gates.push(notRunGate(gate, 'blocked', emit, stopped ?? 'not run'));
  gates.sort((a, b) => GATE_IDS.indexOf(a.id) - GATE_IDS.indexOf(b.id));

  // Rows this run's migrations and tests left in the database it created are not the user's:
  // recorded, so the next drop needs no snapshot while they stay as they are (see tool-rows).
  if (createdHere) {
    const recorded = await recordToolRows(settings, profile, request.command);
    extras.toolRows = recorded.ok ? recorded.value : `not recorded: ${recorded.error.message}`;
  }

  // Findings describe the state the run ends in, plus what the run itself hit; E1 reads it
  // again only when E2, E3 or R4 may have changed it.
  const changed = gates.some((gate) => ['E2', 'E3', 'R4'].includes(gate.id) && gate.status !== 'blocked');
  const final = changed ? await diagnoseWithContext(request, context, () => undefined) : e1;
  // Every failed step is a finding; E1's are those of the closing diagnosis (the state the run ends in).
  const explained = gates.map((gate) => (gate.id === 'E1' ? final.gate : gate));
  const report: RunReport = {
    command: request.command,
    startedAt,
    server: final.state.server,
    gates,
    findings: withStepFindings(explained, mergeFindings(runFindings, final.findings), sourceOf),
    database: final.state.database,
    extras,
    provenance: readProvenance(request.repoDir, request.command, startedAt),
  };
  if (context.projectError) report.extras = { ...extras, projectError: context.projectError };
  emit({ kind: 'job-finished', report });
  if (needsHousekeeping) {
    const task = async () => {
      await tidyAndPrepareSpare(settings, profile, cache?.key ?? null);
    };
    // Handed off, it may start before this run has let go of its sessions: it must not use them.
    if (request.defer) request.defer(() => outsideRun(task));
    else await task();
  }
  return report;
}

async function lookUpCache(request: PipelineRequest, context: Context, serverMajor: number | null): Promise<({ key: string } & CachedCopies) | null> {
  const project = context.project;
  if (!request.cache?.enabled || !request.bootstrap?.dropExisting || !project || serverMajor === null) return null;
  const key = computeCacheKey({
    repoDir: project.repoDir,
    iniPath: project.iniPath,
    versionLocations: project.versionLocations,
    profile: request.profile,
    serverMajor,
  });
  if (!isFullColdRebuild(request)) return { key, template: null, spare: null };
  return { key, ...(await findCached(request.settings, request.profile, key)) };
}

/**
 * The offline SQL of the revisions that lead from an empty database to the state the plan
 * reaches (read from disk when the migrations are unchanged), for VERIFY's grant and
 * row-level security checks.
 */
async function migrationSqlFor(request: PipelineRequest, context: Context): Promise<MigrationSql> {
  const project = context.project;
  if (!project) return { known: false, reason: requireProject(context) ?? 'no repository' };
  try {
    const plan = planFor(request, project, []);
    if (plan.error) return { known: false, reason: `no plan from an empty database: ${plan.error.message}` };
    const sql = await offlineMigrationSql({
      project,
      plan,
      python: context.prerequisites?.python ?? null,
      settings: request.settings,
      profile: request.profile,
    });
    return sql.ok
      ? { known: true, revisions: sql.value.revisions, unknownReason: sql.value.unknownReason, fromDisk: sql.value.fromDisk }
      : { known: false, reason: sql.reason };
  } catch (error) {
    return { known: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

/** Only a rebuild from a dropped database to the profile's own target makes (or may use) a template. */
function isFullColdRebuild(request: PipelineRequest): boolean {
  return (
    Boolean(request.bootstrap?.dropExisting) &&
    !request.explicitTargets &&
    (request.target === undefined || request.target === request.profile.migrations.target)
  );
}

function restoredGate(template: string, key: string, rows: string[], emit: EmitEvent): GateReport {
  const recorder = new GateRecorder('R4', emit, 1);
  recorder.record({
    id: 'restored-from-template',
    title: 'Migrations',
    status: 'already',
    detail: `restored from template ${template} (key ${key.slice(0, 12)}\u2026): its migrations were run and verified when it was made; now at ${rows.join(', ') || '(empty)'}`,
  });
  recorder.addDetails({ restoredFrom: template, cacheKey: key, versionAfter: rows });
  return recorder.finish('passed');
}

async function loadContext(request: PipelineRequest): Promise<Context> {
  if (!request.repoDir) return { project: null, prerequisites: null };
  const checked = checkPrerequisitesRecent({ repoDir: request.repoDir, pythonFlag: request.pythonFlag, suites: request.profile.validationSuites });
  const [project, prerequisites] = await Promise.all([openProject(request.repoDir, async () => (await checked).python), checked]);
  return project.ok ? { project: project.value, prerequisites } : { project: null, projectError: project.error, prerequisites };
}

/** Why the suites cannot be imported (a requirement they import is missing), as R5's precondition; null when they can. */
function testBlockersOf(report: PrerequisiteReport | null): string | null {
  const blockers = testBlockers(report);
  return blockers ? `the suites cannot run with this interpreter: ${blockers}` : null;
}

function requireProject(context: Context): string | null {
  if (context.project) return null;
  if (context.projectError) return `${context.projectError.message} ${context.projectError.remediation ?? ''}`.trim();
  return 'No backend repository given: pass --repo DIR (the folder with alembic.ini).';
}

/**
 * Why R4 could not rebuild the schema after a drop, or null when it can: no readable
 * repository; unless a cached template stands in for Alembic, an interpreter that cannot
 * run it (E1's prerequisite checks) or a target the graph cannot plan.
 */
function whyMigrationsCannotFollow(request: PipelineRequest, context: Context, fromTemplate: boolean): string | null {
  const missing = requireProject(context);
  if (missing || !context.project || fromTemplate) return missing;
  const blockers = alembicBlockers(context.prerequisites);
  if (blockers) return `Python cannot run Alembic: ${blockers}`;
  // The database is empty after the drop: its plan is the one from no revision.
  const error = planFor(request, context.project, []).error;
  return error ? `${error.message} ${error.remediation ?? ''}`.trim() : null;
}

function planFor(request: PipelineRequest, project: OpenProject, rows: string[]): PlanView {
  if (request.explicitTargets) {
    const view = buildPlanView(
      project.graph,
      { ...request.profile, migrations: { target: request.explicitTargets.at(-1) ?? request.profile.migrations.target, plan: request.explicitTargets } },
      rows,
      {},
    );
    return { ...view, source: 'profile' };
  }
  return buildPlanView(project.graph, request.profile, rows, { target: request.target, fromGraph: request.fromGraph });
}

/** E1 plus what only a repository can tell: prerequisites and where alembic_version stands in the graph. */
async function diagnoseWithContext(request: PipelineRequest, context: Context, emit: EmitEvent): Promise<DiagnosisResult> {
  const result = await diagnose(request.settings, request.profile, emit, {
    prerequisites: context.prerequisites,
    graphFindings: (rows) => {
      if (!context.project) return { findings: [], summary: null };
      const graph = context.project.graph;
      const overlay = rows === null ? overlayState(graph, []) : overlayState(graph, rows);
      const target = request.target ?? request.profile.migrations.target;
      const hazards: Hazard[] = [];
      const analyzed = analyzeHazards(graph, overlay.currentRows, target);
      if (analyzed.ok) hazards.push(...dedupeHazards(analyzed.value));
      return { findings: graphFindings(graph, overlay, hazards, target), summary: overlay.summary };
    },
    projectError: context.projectError,
  });
  return result;
}

function dedupeHazards(hazards: Hazard[]): Hazard[] {
  const seen = new Set<string>();
  return hazards.filter((h) => {
    const key = `${h.revision}:${h.table}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function mergeFindings(first: Finding[], second: Finding[]): Finding[] {
  const out = [...first];
  for (const finding of second) if (!out.some((f) => f.id === finding.id && f.evidence === finding.evidence)) out.push(finding);
  return out;
}

/** A gate that could not start (no repository, no interpreter): one failed step saying why, emitted like any other. */
function failedGate(gate: GateId, detail: string, emit: EmitEvent): GateReport {
  const recorder = new GateRecorder(gate, emit);
  recorder.record({ id: 'precondition', title: 'Preconditions', status: 'failed', detail, durationMs: 0 });
  return recorder.finish('failed');
}
