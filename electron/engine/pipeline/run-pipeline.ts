import { messageWithRemedy } from '../../../shared/errors/app-error';
import type { ConnectionSettings } from '../../../shared/contract/connection';
import type { EmitEvent } from '../../../shared/contract/events';
import type { AppError } from '../../../shared/errors/app-error';
import type { UserAction } from '../../../shared/errors/user-action';
import { analyzeHazards, type Hazard } from '../../../shared/graph/hazards';
import { overlayState } from '../../../shared/graph/overlay';
import { buildPlanView, type PlanView } from '../../../shared/graph/plan-view';
import { simulateVersionRows } from '../../../shared/graph/upgrade-revisions';
import { alembicBlockers, testBlockers, type PrerequisiteReport } from '../../../shared/prerequisites/prerequisites';
import type { Profile } from '../../../shared/profile/schema';
import { GATE_IDS, type GateId } from '../../../shared/report/gates';
import type { Finding, GateReport, RunReport } from '../../../shared/report/report';
import type { ReportSections } from '../../../shared/report/report-sections';
import { bootstrap, type BootstrapOptions, type DropFacts } from '../gates/bootstrap/bootstrap';
import { planRun, type CacheLookup, type RunPlan } from './plan-run';
import { diagnosisMigrationSql, targetVersionRows } from '../gates/diagnosis/diagnosis-migration-sql';
import { checkRevisionsCompile, refusalOf, type RevisionCompileCheck } from '../alembic/compile-revisions';
import { diagnose, type DiagnosisResult } from '../gates/diagnosis/diagnose';
import { readAlembicVersion } from '../db/read-alembic-version';
import { graphFindings, tableFindings } from '../gates/findings/graph-findings';
import { trackFindingGates, withStepFindings } from '../gates/findings/make-finding';
import { validationFindings } from '../gates/findings/migration-findings';
import { migrate } from '../gates/migrate/migrate-gate';
import { applicationDatabaseUrl } from '../gates/migrate/application-url';
import { openProject, type OpenProject } from '../project/open-project';
import { readProvenance } from '../project/read-provenance';
import { checkPrerequisitesRecent } from '../python/prerequisites-memo';
import { runValidation } from '../gates/validation/run-validation';
import { readWorkflowFiles } from '../ci/read-workflows';
import { verifySchema, type VerifyRepair } from '../gates/verify/verify-schema';
import type { MigrationSql } from '../gates/verify/check-migration-privileges';
import { offlineMigrationSql } from '../gates/verify/offline-migration-sql';
import { verifyFindings } from '../gates/verify/verify-findings';
import { GateRecorder, notRunGate } from '../gates/gate-recorder';
import { withRebuildLock } from './with-rebuild-lock';
import { computeCacheKey } from '../gates/cache/cache-key';
import { findCached, storeTemplate, tidyAndPrepareSpare } from '../gates/cache/template-cache';
import { freshSessions, RunSessions, type Sessions } from '../db/run-sessions';
import { applicationLogin } from '../db/profile-logins';
import { snapshotBeforeDrop } from '../gates/snapshots/safety-snapshots';
import { recordToolRows } from '../gates/snapshots/tool-rows';

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
  /** Run exactly these `alembic upgrade` targets instead of the planned steps: tests use it to stop, or fault, at a chosen revision. */
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
  /**
   * VERIFY first re-applies what does not hold: the planned revisions' grants and revokes (the fix
   * of MIGRATION-GRANTS-MISSING), their row-level security (MIGRATION-ROW-SECURITY-CHANGED), or
   * the profile's foreign keys (FOREIGN-KEY-CHANGED).
   */
  reapply?: VerifyRepair;
}

interface Context {
  project: OpenProject | null;
  projectError?: AppError;
  prerequisites: PrerequisiteReport | null;
}

/**
 * The one pipeline behind every front: diagnose is E1, bootstrap is E1→E2→E3,
 * rebuild runs every gate, migrate/verify/validate run E1 and their gate. It stops at
 * the first failed gate; later requested gates are reported as blocked.
 */
export async function runPipeline(request: PipelineRequest, emit: EmitEvent): Promise<RunReport> {
  // One run reuses its sessions; they close when it ends.
  const sessions = new RunSessions(request.settings);
  try {
    // ── rebuild lock: a run that changes the database (E2, E3, R4) holds a lock file and a
    // PostgreSQL advisory lock, so a second one (another CLI, another app window, another machine) is refused.
    return await withRebuildLock(request, emit, sessions, async () => {
      // E1's session in the database starts logging in while the repository is read and E1
      // asks the server its first questions (after the lock: never beside another run's drop).
      const inside = dropsTheDatabase(request) ? { database: request.profile.database.name } : applicationLogin(request.profile);
      if (inside) sessions.openAhead([inside]);
      return runGates(request, emit, sessions, await loadContext(request));
    });
  } finally {
    sessions.close();
  }
}

/** What the gates run so far have left for the ones after them; each gate adds to it by returning `learned`. */
interface RunSoFar {
  reports: GateReport[];
  findings: Finding[];
  /** Why the run stopped (a failed gate, a cancel), or null while it goes on. */
  stopped: string | null;
  dropped?: DropFacts;
  /** The database this run's E3 made (so the rows left in it are the tool's own). */
  createdHere: boolean;
  /** The cache template E3 restored, standing in for R4's migrations. */
  restoredFrom: string | null;
  /** alembic_version before R4, and the plan it ran. */
  migration?: { rowsBefore: string[]; plan: PlanView };
  cacheStored?: Extract<CacheReport, { status: 'stored' | 'store-failed' }>;
}

/** One step of the run: the gates it reports, and how it runs given what the earlier ones left. */
interface Gate {
  ids: readonly GateId[];
  /** It honours a cancel itself (bootstrap: up to the drop, saying so in its step), so the loop does not block it. */
  cancelsItself?: boolean;
  run(soFar: Readonly<RunSoFar>): Promise<GateOutcome>;
}

interface GateOutcome {
  reports: GateReport[];
  passed: boolean;
  findings?: Finding[];
  learned?: Partial<RunSoFar>;
  /** Why the gates after this one do not run, when it did not pass ('<gate> failed' by default). */
  stopsWith?: string;
}

type CacheReport =
  | { key: string; status: 'warm' | 'cold'; template: string | null }
  | { key: string; status: 'stored'; template: string }
  | { key: string; status: 'store-failed'; error: AppError };

async function runGates(request: PipelineRequest, reportTo: EmitEvent, sessions: Sessions, context: Context): Promise<RunReport> {
  // Remembers which gate reported each finding: a failed step no finding explains becomes one.
  const { emit, sourceOf } = trackFindingGates(reportTo);
  const startedAt = new Date().toISOString();
  const { settings, profile } = request;
  const wants = (gate: GateId) => request.gates.includes(gate);

  const e1 = await diagnoseWithContext(request, sessions, context, emit, 'opening');
  const e1Stop = e1.gate.status === 'failed' ? 'E1 could not reach the server' : null;
  const cache = e1Stop ? null : await lookUpCache(request, sessions, context, e1.state.server.major);
  // A revision file that does not compile refuses the drop (Alembic would find it only after); a template stands in for Alembic.
  const compiled = e1Stop || cache?.template ? null : await checkRevisionsBeforeDrop(request, context, emit);
  const plan = planRun({
    gates: request.gates,
    dropExisting: Boolean(request.bootstrap?.dropExisting),
    fullColdRebuild: isFullColdRebuild(request),
    stoppedBy: e1Stop,
    cache,
    migrationsCannotFollow: whyMigrationsCannotFollow(request, context) ?? refusalOf(compiled),
    skipValidation: Boolean(request.skipValidation),
  });

  const gateSteps: Gate[] = [
    bootstrapGate(request, sessions, plan, emit),
    migrateGate(request, sessions, context, cache, emit),
    verifyGate(request, sessions, context, plan, cache, emit),
    validationGate(request, sessions, context, plan, e1, emit),
  ];
  let soFar: RunSoFar = { reports: wants('E1') ? [e1.gate] : [], findings: [], stopped: e1Stop, createdHere: false, restoredFrom: null };
  for (const gate of gateSteps) {
    const ids = gate.ids.filter(wants);
    if (ids.length === 0) continue;
    if (!soFar.stopped && !gate.cancelsItself && request.signal?.aborted) soFar = { ...soFar, stopped: 'cancelled' };
    if (soFar.stopped) {
      const reason = soFar.stopped;
      soFar = { ...soFar, reports: [...soFar.reports, ...ids.map((id) => notRunGate(id, 'blocked', emit, reason))] };
      continue;
    }
    const outcome = await gate.run(soFar);
    soFar = {
      ...soFar,
      ...outcome.learned,
      reports: [...soFar.reports, ...outcome.reports],
      findings: [...soFar.findings, ...(outcome.findings ?? [])],
      stopped: outcome.passed ? null : request.signal?.aborted ? 'cancelled' : (outcome.stopsWith ?? `${ids[0]} failed`),
    };
  }
  const stopped = soFar.stopped;
  const gates = [...soFar.reports];
  for (const gate of GATE_IDS) if (wants(gate) && !gates.some((g) => g.id === gate)) gates.push(notRunGate(gate, 'blocked', emit, stopped ?? 'not run'));
  gates.sort((a, b) => GATE_IDS.indexOf(a.id) - GATE_IDS.indexOf(b.id));

  // Rows this run's migrations and tests left in the database it created are not the user's:
  // recorded, so the next drop needs no snapshot while they stay as they are (see tool-rows).
  const toolRows = soFar.createdHere ? await recordToolRows(sessions, profile, request.command) : null;

  // Findings describe the state the run ends in, plus what the run itself hit; E1 reads it
  // again only when E2, E3 or R4 may have changed it.
  const changed = gates.some((gate) => ['E2', 'E3', 'R4'].includes(gate.id) && gate.status !== 'blocked');
  const final = changed ? await diagnoseWithContext(request, sessions, context, () => undefined, 'closing') : e1;
  // Every failed step is a finding; E1's are those of the closing diagnosis (the state the run ends in).
  // A gate the user's cancel stopped did not fail by a fault: it is no finding.
  const cancelled = Boolean(request.signal?.aborted);
  const explained = gates.map((gate) => (gate.id === 'E1' ? final.gate : gate)).filter((gate) => !(cancelled && gate.status === 'failed' && gate.id !== 'E1'));
  const cacheReport: CacheReport | undefined =
    soFar.cacheStored ?? (cache ? { key: cache.key, status: cache.template ? 'warm' : 'cold', template: cache.template } : undefined);
  const sections: ReportSections = {
    ...(context.project ? { graph: { revisions: Object.keys(context.project.graph.revisions).length, heads: context.project.graph.heads } } : {}),
    ...(context.prerequisites ? { prerequisites: context.prerequisites } : {}),
    ...(compiled ? { revisionCompile: compiled } : {}),
    ...(cacheReport ? { cache: cacheReport } : {}),
    ...(soFar.dropped?.snapshot ? { snapshot: soFar.dropped.snapshot } : {}),
    ...(soFar.migration ? { plan: soFar.migration.plan } : {}),
    ...(toolRows ? { toolRows: toolRows.ok ? toolRows.value : `not recorded: ${toolRows.error.message}` } : {}),
    ...(context.projectError ? { projectError: context.projectError } : {}),
    ...(final !== e1 ? { openingFindings: e1.findings.map((finding) => finding.id) } : {}),
  };
  const report: RunReport = {
    command: request.command,
    startedAt,
    server: final.state.server,
    gates,
    findings: withStepFindings(explained, mergeFindings(soFar.findings, final.findings), sourceOf),
    database: final.state.database,
    ...sections,
    provenance: { ...readProvenance(request.repoDir, request.command, startedAt), server: final.state.server },
    ...(cancelled ? { cancelled } : {}),
  };
  emit({ kind: 'job-finished', report });
  if (plan.housekeeping || soFar.dropped?.setAside) {
    // Handed off, it runs after this run has closed its sessions: it opens its own.
    const task = async (through: Sessions) => {
      await tidyAndPrepareSpare(through, profile, cache?.key ?? null);
    };
    if (request.defer) request.defer(() => task(freshSessions(settings)));
    else await task(sessions);
  }
  return report;
}

/** E2 and E3: bootstrap as planned (dropping aside, after a safety snapshot when rows are there), or blocked. */
function bootstrapGate(request: PipelineRequest, sessions: Sessions, plan: RunPlan, emit: EmitEvent): Gate {
  return {
    ids: ['E2', 'E3'],
    cancelsItself: true,
    async run() {
      const planned = plan.bootstrap;
      if (!planned) return { reports: [], passed: true };
      if (!planned.run) {
        const reports = (['E2', 'E3'] as const).filter((gate) => request.gates.includes(gate)).map((gate) => notRunGate(gate, 'blocked', emit, planned.reason));
        // The rebuild asked for cannot happen, so nothing after it runs either: R4, VERIFY and R5 on the
        // database the user meant to replace would migrate it, and fill it with test rows, unasked.
        return { reports, passed: false, stopsWith: planned.reason };
      }
      const options: BootstrapOptions = {
        ...(request.bootstrap ?? { dropExisting: false, confirmed: false, allowRemote: false }),
        signal: request.signal,
        beforeDrop: snapshotBeforeDrop(sessions, request.profile),
        deferDrop: true,
        ...(planned.fromTemplate ? { fromTemplate: planned.fromTemplate } : {}),
      };
      const result = await bootstrap(sessions, request.profile, options, emit);
      const createdHere = Boolean(result.created);
      return {
        reports: result.gates,
        passed: result.ok,
        stopsWith: 'bootstrap failed',
        learned: { dropped: result.dropped, createdHere, restoredFrom: planned.fromTemplate && createdHere ? planned.fromTemplate.name : null },
      };
    },
  };
}

/** R4: the planned `alembic upgrade` steps, or the template E3 restored standing in for them. */
function migrateGate(request: PipelineRequest, sessions: Sessions, context: Context, cache: CacheLookup | null, emit: EmitEvent): Gate {
  return {
    ids: ['R4'],
    async run(soFar) {
      const project = context.project;
      const missing = requireProject(context);
      if (!project || missing) return { reports: [failedGate('R4', missing ?? 'no repository', emit, projectAction(context))], passed: false };
      const rowsBefore = (await readAlembicVersion(sessions, request.profile)) ?? [];
      const plan = planFor(request, project, rowsBefore);
      const learned = { migration: { rowsBefore, plan } };
      if (soFar.restoredFrom && cache) return { reports: [restoredGate(soFar.restoredFrom, cache.key, rowsBefore, emit)], passed: true, learned };
      const result = await migrate(
        {
          sessions,
          profile: request.profile,
          prerequisites: context.prerequisites ?? { python: null, checks: [], ok: false },
          iniPath: project.iniPath,
          graph: project.graph,
          plan,
          signal: request.signal,
          timeoutMs: request.migrationTimeoutMs,
        },
        emit,
      );
      return { reports: [result.gate], passed: result.gate.status === 'passed', findings: result.findings, learned };
    },
  };
}

/** VERIFY: the schema checks against the versions the plan reaches; a pass of a full cold rebuild stores the cache template. */
function verifyGate(request: PipelineRequest, sessions: Sessions, context: Context, plan: RunPlan, cache: CacheLookup | null, emit: EmitEvent): Gate {
  return {
    ids: ['VERIFY'],
    async run(soFar) {
      const { profile } = request;
      const project = context.project;
      let expected: string[] | null = null;
      if (project && soFar.migration) {
        expected = simulateVersionRows(project.graph, soFar.migration.rowsBefore, soFar.migration.plan.revisions);
      } else if (project) {
        const current = (await readAlembicVersion(sessions, profile)) ?? [];
        expected = simulateVersionRows(project.graph, current, planFor({ ...request, explicitTargets: undefined }, project, current).revisions);
      }
      const gate = await verifySchema(
        { sessions, profile, expectedVersions: expected, migrationSql: migrationSqlFor(request, context), reapply: request.reapply },
        emit,
      );
      const findings = verifyFindings(gate);
      for (const finding of findings) emit({ kind: 'finding', finding });
      const passed = gate.status === 'passed';
      if (!passed || !cache || !plan.storeTemplate || soFar.restoredFrom) return { reports: [gate], passed, findings };
      // The database is exactly what a cold rebuild makes: keep it for the next rebuild.
      const stored = await storeTemplate(sessions, profile, cache.key);
      const cacheStored: RunSoFar['cacheStored'] = stored.ok
        ? { key: cache.key, status: 'stored', template: stored.value.name }
        : { key: cache.key, status: 'store-failed', error: stored.error };
      return { reports: [gate], passed, findings, learned: { cacheStored } };
    },
  };
}

/** R5: the profile's test suites against the rebuilt database, unless the user skipped them. */
function validationGate(request: PipelineRequest, sessions: Sessions, context: Context, plan: RunPlan, e1: DiagnosisResult, emit: EmitEvent): Gate {
  return {
    ids: ['R5'],
    // Skipped at the user's request, it is reported skipped, cancelled or not.
    cancelsItself: plan.skipValidation,
    async run(soFar) {
      if (plan.skipValidation) {
        return {
          reports: [notRunGate('R5', 'skipped', emit, 'not requested for this run: the validation tests were left out')],
          passed: true,
        };
      }
      const { settings, profile } = request;
      const python = context.prerequisites?.python;
      const noProject = requireProject(context);
      if (noProject) return { reports: [failedGate('R5', noProject, emit)], passed: false };
      // Its own step, so the finding about the interpreter (PYTHON-PREREQUISITES-MISSING) explains it.
      const interpreterFailed = (why: string) => ({ reports: [failedGate('R5', why, emit, undefined, INTERPRETER_STEP)], passed: false });
      if (!python) return interpreterFailed('no Python interpreter with pytest was found (see E1\u2019s prerequisite checks)');
      const blockers = testBlockersOf(context.prerequisites);
      if (blockers) return interpreterFailed(blockers);
      const repoDir = context.project?.repoDir ?? request.repoDir ?? '';
      // Each suite runs with the environment of the CI step that names it (workflow files read now: they may have changed).
      const workflows = await readWorkflowFiles(repoDir);
      // The tool has logged in as the application role with this password in this run (E1, R4 or VERIFY).
      const loginVerified =
        soFar.reports.some((g) => (g.id === 'R4' || g.id === 'VERIFY') && g.status === 'passed') ||
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
        sessions,
      });
      const passed = result.gate.status === 'passed';
      // The password finding already says why the tests failed; the generic one would repeat it.
      const explained = result.findings.some((f) => f.id === 'R5-PASSWORD-MISMATCH');
      const found = passed || explained ? [] : validationFindings(result.failureTexts);
      for (const finding of found) emit({ kind: 'finding', finding });
      return { reports: [result.gate], passed, findings: [...result.findings, ...found] };
    },
  };
}

async function lookUpCache(request: PipelineRequest, sessions: Sessions, context: Context, serverMajor: number | null): Promise<CacheLookup | null> {
  const project = context.project;
  if (!request.cache?.enabled || !request.bootstrap?.dropExisting || !project || serverMajor === null) return null;
  const key = computeCacheKey({
    repoDir: project.repoDir,
    iniPath: project.iniPath,
    scriptLocation: project.scriptLocation,
    versionLocations: project.versionLocations,
    profile: request.profile,
    serverMajor,
  });
  if (!isFullColdRebuild(request)) return { key, template: null, spare: null };
  return { key, ...(await findCached(sessions, request.profile, key)) };
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

/**
 * A run whose E2 drops the database: its opening E1 reads the old one as the superuser, on
 * the session the drop step then checks for rows with (one backend instead of two).
 */
function dropsTheDatabase(request: PipelineRequest): boolean {
  return request.gates.includes('E2') && Boolean(request.bootstrap?.dropExisting);
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

/** The action that gives the run its repository, when it has none it can read. */
function projectAction(context: Context): UserAction | undefined {
  // Only a repository not chosen at all asks to choose one; a project error says its own remedy.
  if (context.project) return undefined;
  return context.projectError ? context.projectError.action : 'choose-repository';
}

/** Before a drop R4 must follow: the revision files compile with the project's interpreter (a skipped check is said in the log). */
async function checkRevisionsBeforeDrop(request: PipelineRequest, context: Context, emit: EmitEvent): Promise<RevisionCompileCheck | null> {
  if (!dropsTheDatabase(request) || !request.gates.includes('R4') || !context.project) return null;
  const check = await checkRevisionsCompile({ ...context.project, python: context.prerequisites?.python ?? null, signal: request.signal });
  if (check.status === 'skipped') emit({ kind: 'log-line', gate: 'E2', stream: 'info', line: `revision files not checked before the drop: ${check.reason}` });
  return check;
}

function requireProject(context: Context): string | null {
  if (context.project) return null;
  if (context.projectError) return messageWithRemedy(context.projectError);
  return 'No backend repository is set: choose the folder that holds alembic.ini.';
}

/**
 * Why R4 could not rebuild the schema after a drop, or null when it can: no readable
 * repository; unless a cached template stands in for Alembic, an interpreter that cannot
 * run it (E1's prerequisite checks) or a target the graph cannot plan.
 */
function whyMigrationsCannotFollow(request: PipelineRequest, context: Context): string | null {
  const missing = requireProject(context);
  if (missing || !context.project) return missing;
  // Said in full once, by E1's checks (and their finding): the blocked gates only say that it is so.
  if (alembicBlockers(context.prerequisites)) return 'Python cannot run Alembic; E1\u2019s checks say why and what to do';
  // The database is empty after the drop: its plan is the one from no revision.
  const error = planFor(request, context.project, []).error;
  return error ? messageWithRemedy(error) : null;
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

/**
 * E1 plus what only a repository can tell (prerequisites, where alembic_version stands in
 * the graph), as a run opens it or as the closing diagnosis of the state it ends in. Either checks
 * grants and row-level security like VERIFY (a run with VERIFY leaves that to it). Only a
 * plain Diagnose may produce the offline SQL those checks read: that runs every revision's
 * upgrade() in Python, which a run about to migrate must not pay first or hang on; other
 * runs read what is stored (VERIFY and Diagnose store it).
 */
async function diagnoseWithContext(
  request: PipelineRequest,
  sessions: Sessions,
  context: Context,
  emit: EmitEvent,
  moment: 'opening' | 'closing',
): Promise<DiagnosisResult> {
  const mayProduceSql = moment === 'opening' && request.gates.length === 1 && request.gates[0] === 'E1';
  // Before a drop, the old database's login says nothing about the rebuilt one: E2 checks
  // the role's password against the profile, and VERIFY and the closing diagnosis log in.
  const loginNotChecked =
    moment === 'opening' && dropsTheDatabase(request)
      ? `not tried before the drop: E2 checks ${request.profile.applicationRole}'s password, and the rebuilt database's login is checked at the end`
      : undefined;
  const result = await diagnose(sessions, request.profile, emit, {
    prerequisites: context.prerequisites,
    graphFindings: (rows, tables) => {
      if (!context.project) return { findings: [], summary: null };
      const graph = context.project.graph;
      const overlay = rows === null ? overlayState(graph, []) : overlayState(graph, rows);
      const target = request.target ?? request.profile.migrations.target;
      const hazards: Hazard[] = [];
      const analyzed = analyzeHazards(graph, overlay.currentRows, target);
      if (analyzed.ok) hazards.push(...dedupeHazards(analyzed.value));
      const findings = [...graphFindings(graph, overlay, hazards, target), ...(tables ? tableFindings(graph, overlay, tables) : [])];
      return { findings, summary: overlay.summary };
    },
    projectError: context.projectError,
    loginNotChecked,
    schemaChecks: request.gates.includes('VERIFY')
      ? undefined
      : {
          migrationSql: () => diagnosisMigrationSql({ ...context, settings: request.settings, profile: request.profile, mayProduce: mayProduceSql }),
          targetVersions: targetVersionRows(context.project, request.profile),
        },
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

/** R5's step when the interpreter cannot run the suites. */
const INTERPRETER_STEP = { id: 'interpreter', title: 'Python interpreter for the suites' } as const;

/** A gate that could not start (no repository, no interpreter): one failed step saying why, emitted like any other. */
function failedGate(
  gate: GateId,
  detail: string,
  emit: EmitEvent,
  action?: UserAction,
  step: { id: string; title: string } = { id: 'precondition', title: 'Preconditions' },
): GateReport {
  const recorder = new GateRecorder(gate, emit, 1);
  recorder.record({ ...step, status: 'failed', detail, durationMs: 0, ...(action ? { action } : {}) });
  return recorder.finish('failed');
}
