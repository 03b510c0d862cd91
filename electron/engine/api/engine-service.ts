import * as crypto from 'node:crypto';
import { freshSessions } from '../db/run-sessions';
import { CHANNELS, isFrontChannel, type ChannelHandler, type ChannelKey, type EngineChannelKey } from '../../../shared/contract/api';
import type { ConnectionSettings } from '../../../shared/contract/connection';
import type { EmitEvent, JobEvent } from '../../../shared/contract/events';
import type { JobRequest } from '../../../shared/contract/jobs';
import type { SettingsInput, SettingsView } from '../../../shared/contract/settings';
import { appError, err, ok, type AppError, type Result } from '../../../shared/errors/app-error';
import { FINDING_CATALOGUE, type FindingId } from '../../../shared/findings/catalogue';
import { analyzeHazards } from '../../../shared/graph/hazards';
import { overlayState } from '../../../shared/graph/overlay';
import { buildPlanView } from '../../../shared/graph/plan-view';
import type { GraphView } from '../../../shared/graph/graph-view';
import type { Profile } from '../../../shared/profile/schema';
import type { GateReport, RunReport } from '../../../shared/report/report';
import type { GateId } from '../../../shared/report/gates';
import { ciExpectationsFromProfile } from '../../../shared/parity/ci-expectations';
import { compareCiWithLocal } from '../../../shared/parity/ci-vs-local';
import { readWorkflows } from '../ci/read-workflows';
import { checkPrerequisitesRecent } from '../python/prerequisites-memo';
import { readAlembicVersion } from '../db/read-alembic-version';
import { readServerState } from '../gates/diagnosis/read-database-state';
import type { EmbeddedServer } from '../embedded/embedded-server';
import { previewPlanSql } from '../gates/migrate/preview-sql';
import { runPipeline, type PipelineRequest } from '../pipeline/run-pipeline';
import { loadProfile } from '../profile/load-profile';
import { openProject } from '../project/open-project';
import { checkRepoFolder } from '../project/check-repo-folder';
import { checkPrerequisites } from '../python/check-prerequisites';
import { findPython } from '../python/find-python';
import { findHalfMadeCopies } from '../copies/half-made-copies';
import { cancelOrGiveUp, gaveUpError } from './cancel-give-up';
import { remediationRequest, runRemediation } from '../remediation/remediation-request';
import { openConnection } from '../session/open-connection';
import { SettingsStore } from './settings-store';
import { withClient } from '../db/connect';
import { clearTemplates, listTemplates, tidyAndPrepareSpare } from '../gates/cache/template-cache';
import { restoreAndReapply } from '../pipeline/restore-and-reapply';
import { listSnapshots, pruneSnapshots } from '../gates/snapshots/safety-snapshots';
import { checkDestructiveAllowed } from '../safety/destructive-guard';
import { collectBundle } from '../bundle/collect-bundle';
import { renderBundleHtml } from '../bundle/render-html';
import { bundleFromText } from '../../../shared/bundle/bundle';

/**
 * The one handler table behind every app front: Electron's IPC and the loopback
 * browser host call `dispatch`, which validates the payload against the contract's
 * schema and runs the handler. Holds what lives as long as the app: settings, the
 * bundled server (kept running while the app is open), the running job.
 */
export type Handlers = { [K in EngineChannelKey]: ChannelHandler<K> };

export interface EngineServiceOptions {
  store: SettingsStore;
  /** Where the bundled PostgreSQL keeps its data (default: the per-user app-data folder). */
  embeddedDir?: string;
  /** How long a cancelled job may wait on the server before it is given up on (default CANCEL_GIVE_UP_MS). */
  cancelGiveUpMs?: number;
}

export interface EngineService {
  handlers: Handlers;
  dispatch(channel: ChannelKey, payload: unknown): Promise<Result<unknown>>;
  onJobEvent(listener: (event: JobEvent) => void): () => void;
  dispose(): Promise<void>;
}

const JOB_NAMES: Record<JobRequest['kind'], string> = {
  diagnose: 'A diagnosis',
  rebuild: 'A rebuild',
  remediate: 'A fix',
  'upgrade-to': 'An upgrade',
  validate: 'A validation run',
};

interface RunningJob {
  jobId: string;
  kind: JobRequest['kind'];
  startedAt: string;
  controller: AbortController;
  done: Promise<RunReport>;
  /** Stops this job's events from reaching the fronts: it was given up on after a cancel (see cancel-give-up). */
  abandon: () => void;
  settings: ConnectionSettings;
  /** The gate the job is in, for the give-up's log line. */
  gate: () => GateId;
}

export function createEngineService(options: EngineServiceOptions): EngineService {
  const { store } = options;
  const listeners = new Set<(event: JobEvent) => void>();
  let embedded: EmbeddedServer | null = null;
  let running: RunningJob | null = null;
  let lastReport: RunReport | null = null;
  // The newest R5 that actually ran: a later diagnosis does not run the tests, but their result still stands for parity.
  let lastValidation: GateReport | null = null;
  const remember = (report: RunReport) => {
    lastReport = report;
    const r5 = report.gates.find((g) => g.id === 'R5' && (g.status === 'passed' || g.status === 'failed'));
    if (r5) lastValidation = r5;
  };
  // A start of the bundled server in progress: every caller awaits the same one, so two
  // calls at once (a graph load and a Diagnose) cannot both run initdb or pg_ctl start.
  let starting: Promise<Result<ConnectionSettings>> | null = null;

  // Work a pipeline hands off until after its report (one at a time, errors ignored:
  // it only tidies, and the next run tidies again).
  let housekeeping: Promise<void> = Promise.resolve();
  const defer = (task: () => Promise<void>) => {
    housekeeping = housekeeping.then(task).catch(() => undefined);
  };

  const broadcast = (event: JobEvent) => {
    for (const listener of listeners) listener(event);
  };

  const profile = (): Result<Profile> => loadProfile(store.read().profilePath || undefined);

  const settingsView = (): SettingsView => {
    const stored = store.read();
    const p = profile();
    return {
      connection: {
        ...stored.connection,
        hasPassword: store.secrets.load() !== null,
        canStorePassword: store.secrets.canEncrypt(),
      },
      repoDir: stored.repoDir,
      python: stored.python,
      profilePath: stored.profilePath,
      profileName: p.ok ? p.value.name : 'invalid profile',
      databaseName: p.ok ? p.value.database.name : '',
    };
  };

  const connection = async (): Promise<Result<ConnectionSettings>> => {
    const stored = store.read().connection;
    if (stored.mode === 'embedded') {
      if (embedded) return ok(embedded.settings);
      if (!starting) {
        starting = (async (): Promise<Result<ConnectionSettings>> => {
          const opened = await openConnection({ kind: 'embedded', dir: options.embeddedDir });
          if (!opened.ok) return opened;
          embedded = opened.value.embedded ?? null;
          return ok(opened.value.settings);
        })().finally(() => {
          starting = null;
        });
      }
      return starting;
    }
    const password = store.secrets.load();
    if (password === null) {
      return err(
        appError('usage', `No password stored for the PostgreSQL superuser "${stored.superuser}".`, {
          remediation: 'Enter it in Setup (it is stored encrypted where the OS allows, otherwise asked for each time), or choose the bundled PostgreSQL 15.',
        }),
      );
    }
    return ok({ host: stored.host, port: stored.port, superuser: stored.superuser, password, embedded: false });
  };

  /** The active profile and a connection to its server: what every database handler starts with. */
  const profileAndServer = async (): Promise<Result<{ profile: Profile; settings: ConnectionSettings }>> => {
    const p = profile();
    if (!p.ok) return p;
    const settings = await connection();
    if (!settings.ok) return settings;
    return ok({ profile: p.value, settings: settings.value });
  };

  const startJob = async (request: JobRequest): Promise<Result<{ jobId: string }>> => {
    if (running) {
      return err(
        appError(
          'rebuild-locked',
          `${JOB_NAMES[running.kind]} is already running (pid ${process.pid}, since ${running.startedAt.replace('T', ' ').slice(0, 19)}).`,
          {
            remediation: 'Wait for it to finish, or cancel it first.',
          },
        ),
      );
    }
    const p = profile();
    if (!p.ok) return p;
    const settings = await connection();
    if (!settings.ok) return settings;
    const pipeline = jobPipeline(request, p.value, settings.value, store.read());
    if (!pipeline.ok) return pipeline;
    // Housekeeping of the previous run (dropping a renamed-aside database) finishes first.
    await housekeeping;
    const jobId = crypto.randomUUID();
    const controller = new AbortController();
    let abandoned = false;
    let gate: GateId = 'E1';
    const run = request.kind === 'remediate' ? remediationRunner(request.findingId) : runPipeline;
    const job: RunningJob = {
      jobId,
      kind: request.kind,
      startedAt: new Date().toISOString(),
      controller,
      abandon: () => {
        abandoned = true;
      },
      gate: () => gate,
      settings: settings.value,
      done: run({ ...pipeline.value, signal: controller.signal, defer }, (event) => {
        if (abandoned) return;
        if (event.kind === 'gate-started') gate = event.gate;
        // Remembered before the fronts hear of it: a front that asks for parity (or the last
        // report) on job-finished must get this run, not the one before, even while the
        // pipeline is still releasing its lock.
        if (event.kind === 'job-finished') remember(event.report);
        broadcast({ ...event, jobId });
      }),
    };
    running = job;
    job.done
      .then((report) => {
        if (!abandoned) remember(report);
      })
      .catch((error: unknown) => {
        if (abandoned) return;
        const failure = appError('internal', 'The job stopped on an unexpected error.', { detail: error instanceof Error ? error.message : String(error) });
        broadcast({ kind: 'job-finished', jobId, report: reportOfError(request.kind, job.startedAt, settings.value, failure) });
      })
      .finally(() => {
        if (running?.jobId === jobId) running = null;
      });
    return ok({ jobId });
  };

  const handlers: Handlers = {
    getSettings: async () => ok(settingsView()),
    saveSettings: async (input: SettingsInput) => {
      store.write(input);
      // A start still under way would hand back a server after we stopped the old one.
      await starting?.catch(() => undefined);
      if (input.connection.mode !== 'embedded' && embedded) {
        await embedded.stop();
        embedded = null;
      }
      return ok(settingsView());
    },
    testConnection: async () => {
      const opened = await profileAndServer();
      if (!opened.ok) return opened;
      const target = opened.value;
      const state = await readServerState(freshSessions(target.settings), target.profile);
      if (state.error && !state.database) return err(state.error);
      return ok(state.server);
    },
    checkPrerequisites: async () => {
      const stored = store.read();
      const suites = profile();
      return ok(
        await checkPrerequisites({
          repoDir: stored.repoDir,
          pythonFlag: stored.python || undefined,
          suites: suites.ok ? suites.value.validationSuites : undefined,
        }),
      );
    },
    loadGraph: async ({ withState }) => {
      const p = profile();
      if (!p.ok) return p;
      const stored = store.read();
      const project = await openProject(stored.repoDir, async () => {
        const python = await findPython({ repoDir: stored.repoDir, flag: stored.python || undefined });
        return python.ok ? python.value : null;
      });
      if (!project.ok) return project;
      let rows: string[] = [];
      let stateError: AppError | undefined;
      let overlay = null;
      if (withState) {
        const settings = await connection();
        if (settings.ok) {
          rows = (await readAlembicVersion(freshSessions(settings.value), p.value)) ?? [];
          overlay = overlayState(project.value.graph, rows);
        } else {
          stateError = settings.error;
        }
      }
      const plan = buildPlanView(project.value.graph, p.value, rows);
      const hazards = analyzeHazards(project.value.graph, rows, plan.target);
      const view: GraphView = {
        repoDir: project.value.repoDir,
        iniPath: project.value.iniPath,
        graph: project.value.graph,
        overlay,
        plan,
        hazards: hazards.ok ? hazards.value : [],
        ...(stateError ? { stateError } : {}),
      };
      return ok(view);
    },
    previewSql: async ({ target }) => {
      const p = profile();
      if (!p.ok) return p;
      const stored = store.read();
      const project = await openProject(stored.repoDir);
      if (!project.ok) return project;
      const python = await findPython({ repoDir: stored.repoDir, flag: stored.python || undefined });
      if (!python.ok) return python;
      const settings = await connection();
      const rows = settings.ok ? ((await readAlembicVersion(freshSessions(settings.value), p.value)) ?? []) : [];
      const plan = buildPlanView(project.value.graph, p.value, rows, { target, fromGraph: true });
      if (plan.error) return err(plan.error);
      const placeholder: ConnectionSettings = settings.ok
        ? settings.value
        : { host: 'localhost', port: 5432, superuser: 'postgres', password: '', embedded: false };
      const preview = await previewPlanSql(python.value, project.value.iniPath, project.value.graph, plan, rows, { settings: placeholder, profile: p.value });
      if (!preview.ok) return preview;
      return ok({
        target,
        sql: preview.value.map((s) => `-- alembic upgrade --sql ${s.range}\n${s.sql}`).join('\n') || '-- nothing to run: already at the target',
      });
    },
    startJob,
    cancelJob: async ({ jobId }) => {
      const job = running;
      if (!job || job.jobId !== jobId) return ok({ cancelled: false });
      const outcome = await cancelOrGiveUp(job.done, () => job.controller.abort(), options.cancelGiveUpMs);
      if (outcome === 'gave-up' && running === job) {
        // The server does not answer: the job ends for the app now; its pipeline, still waiting, is heard from no more.
        job.abandon();
        running = null;
        const failure = gaveUpError(options.cancelGiveUpMs);
        const report = reportOfError(job.kind, job.startedAt, job.settings, failure);
        remember(report);
        broadcast({ kind: 'log-line', jobId, gate: job.gate(), stream: 'info', line: `${failure.message} ${failure.remediation ?? ''}`.trim() });
        broadcast({ kind: 'job-finished', jobId, report });
      }
      return ok({ cancelled: true });
    },
    getLastReport: async () => ok(lastReport),
    getParity: async () => {
      const p = profile();
      if (!p.ok) return p;
      const stored = store.read();
      const repoDir = stored.repoDir;
      if (!repoDir) {
        const ci = ciExpectationsFromProfile(p.value, ['No repository folder is set in Setup.']);
        return ok({
          ci,
          rows: compareCiWithLocal(ci, {
            report: lastReport,
            plan: null,
            platform: process.platform,
            lastValidation,
            validationSuites: p.value.validationSuites,
          }),
        });
      }
      // The plan is made from the rows the last run read, so every line of the matrix speaks about the same moment.
      const [ci, project, prerequisites] = await Promise.all([
        readWorkflows(repoDir, p.value),
        openProject(repoDir),
        checkPrerequisitesRecent({ repoDir, pythonFlag: stored.python || undefined, suites: p.value.validationSuites }),
      ]);
      const planView = project.ok ? buildPlanView(project.value.graph, p.value, lastReport?.database?.alembicVersion ?? []) : null;
      const rows = compareCiWithLocal(ci, {
        report: lastReport,
        plan: planView && !planView.error ? planView : null,
        python: prerequisites.python,
        platform: process.platform,
        lastValidation,
        validationSuites: p.value.validationSuites,
      });
      return ok({ ci, rows });
    },
    listCopies: async () => {
      const opened = await profileAndServer();
      if (!opened.ok) return opened;
      const target = opened.value;
      const db = target.profile.database.name;
      return withClient(freshSessions(target.settings), { database: 'postgres' }, 'listing snapshots and templates', async (admin) => ({
        database: db,
        snapshots: await listSnapshots(admin, db),
        templates: await listTemplates(admin, db),
        templatesKept: target.profile.templatesKept,
        halfMade: await findHalfMadeCopies(admin, db),
      }));
    },
    clearCache: async () => {
      const opened = await profileAndServer();
      if (!opened.ok) return opened;
      const target = opened.value;
      await housekeeping;
      const cleared = await clearTemplates(target.settings, target.profile);
      if (!cleared.ok) return cleared;
      const tidied = await tidyAndPrepareSpare(freshSessions(target.settings), target.profile, null);
      if (!tidied.ok) return tidied;
      return ok({ removed: cleared.value });
    },
    restoreSnapshot: async ({ name, confirmDatabaseName }) => {
      const opened = await profileAndServer();
      if (!opened.ok) return opened;
      const target = opened.value;
      if (running)
        return err(
          appError('rebuild-locked', `Cannot restore while a ${running.kind} is running.`, { remediation: 'Wait for it to finish, or cancel it first.' }),
        );
      const allowed = await checkDestructiveAllowed({
        host: target.settings.host,
        database: target.profile.database.name,
        profile: target.profile,
        confirmed: confirmDatabaseName === target.profile.database.name,
        allowRemote: false,
      });
      if (!allowed.ok) return allowed;
      const restored = await restoreAndReapply(target.settings, target.profile, name, () => undefined);
      if (restored.ok) remember(restored.value.report);
      return restored;
    },
    pruneSnapshots: async ({ keep }) => {
      const opened = await profileAndServer();
      if (!opened.ok) return opened;
      const target = opened.value;
      const pruned = await pruneSnapshots(target.settings, target.profile, keep);
      return pruned.ok ? ok({ removed: pruned.value }) : pruned;
    },
    saveDiagnosis: async ({ format }) => {
      const opened = await profileAndServer();
      if (!opened.ok) return opened;
      const target = opened.value;
      const stored = store.read();
      const bundle = await collectBundle({
        settings: target.settings,
        profile: target.profile,
        repoDir: stored.repoDir || undefined,
        pythonFlag: stored.python || undefined,
        lastRun: lastReport,
      });
      const stamp = bundle.createdAt.replace(/[:.]/g, '-').slice(0, 19);
      return ok(
        format === 'html'
          ? { fileName: `skeldir-diagnosis-${stamp}.html`, mimeType: 'text/html', content: renderBundleHtml(bundle) }
          : { fileName: `skeldir-diagnosis-${stamp}.json`, mimeType: 'application/json', content: `${JSON.stringify(bundle, null, 2)}\n` },
      );
    },
    openDiagnosis: async ({ name, text }) => bundleFromText(text, name),
    checkRepoFolder: async ({ path }) => ok(await checkRepoFolder(path)),
  };

  const dispatch = async (channel: ChannelKey, payload: unknown): Promise<Result<unknown>> => {
    const spec = CHANNELS[channel];
    if (!spec) return err(appError('usage', `Unknown channel ${String(channel)}.`));
    if (isFrontChannel(channel)) return err(appError('usage', `${spec.name} is answered by the app's window, not by the engine.`));
    const parsed = spec.request.safeParse(payload ?? {});
    if (!parsed.success) {
      return err(
        appError('usage', `Invalid request for ${spec.name}.`, {
          detail: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(request)'}: ${issue.message}`).join('\n'),
        }),
      );
    }
    try {
      return await (handlers[channel] as (request: unknown) => Promise<Result<unknown>>)(parsed.data);
    } catch (error) {
      return err(appError('internal', `The ${spec.name} handler failed unexpectedly.`, { detail: error instanceof Error ? error.message : String(error) }));
    }
  };

  return {
    handlers,
    dispatch,
    onJobEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async dispose() {
      await starting?.catch(() => undefined);
      running?.controller.abort();
      await running?.done.catch(() => undefined);
      await housekeeping;
      await embedded?.stop();
      embedded = null;
    },
  };
}

/** The report of a job that ended without one of its own (an unexpected error, or given up on after a cancel). */
function reportOfError(kind: JobRequest['kind'], startedAt: string, settings: ConnectionSettings, error: AppError): RunReport {
  return {
    command: kind,
    startedAt,
    server: { host: settings.host, port: settings.port, version: null, major: null, embedded: settings.embedded },
    gates: [],
    findings: [],
    database: null,
    error,
  };
}

/** How a remediation job runs (the crash-recovery fixes have a step of their own before the pipeline). */
function remediationRunner(findingId: string): (request: PipelineRequest, emit: EmitEvent) => Promise<RunReport> {
  return (request, emit) => runRemediation(findingId as FindingId, request, emit);
}

/** Turns an app job into a pipeline request, enforcing the typed confirmations. */
function jobPipeline(
  request: JobRequest,
  profile: Profile,
  settings: ConnectionSettings,
  stored: { repoDir: string; python: string },
): Result<PipelineRequest> {
  const base = { settings, profile, repoDir: stored.repoDir || undefined, pythonFlag: stored.python || undefined };
  switch (request.kind) {
    case 'diagnose':
      return ok({ ...base, command: 'diagnose', gates: ['E1'] });
    case 'validate':
      return ok({ ...base, command: 'validate', gates: ['E1', 'R5'], allowRemoteTests: request.allowRemoteTests ?? false });
    case 'upgrade-to':
      return ok({ ...base, command: 'upgrade-to', gates: ['E1', 'R4'], target: request.target, fromGraph: true });
    case 'rebuild': {
      const drop = request.dropExisting;
      if (drop && request.confirmDatabaseName !== profile.database.name) {
        return err(
          appError('confirmation-required', `To drop the database, type its name "${profile.database.name}" exactly.`, {
            remediation: 'Type the database name in the confirmation box, or untick "drop existing database".',
          }),
        );
      }
      return ok({
        ...base,
        command: 'rebuild',
        gates: ['E1', 'E2', 'E3', 'R4', 'VERIFY', 'R5'],
        bootstrap: {
          dropExisting: drop,
          confirmed: drop,
          confirmedUnmarked: request.confirmUnmarked ?? false,
          allowRemote: request.confirmRemoteHost !== undefined && request.confirmRemoteHost === settings.host,
        },
        target: request.target,
        skipValidation: request.skipValidation ?? false,
        cache: { enabled: !(request.noCache ?? false) },
      });
    }
    case 'remediate': {
      if (!(request.findingId in FINDING_CATALOGUE)) {
        return err(appError('usage', `Unknown finding "${request.findingId}".`));
      }
      return remediationRequest(request.findingId as FindingId, { ...base, confirmed: request.confirmDatabaseName === profile.database.name });
    }
  }
}
