import * as crypto from 'node:crypto';
import { freshSessions } from '../engine/db/run-sessions';
import {
  CHANNELS,
  isFrontChannel,
  runValidated,
  type ChannelHandler,
  type ChannelKey,
  type ChannelRequest,
  type ChannelResponses,
  type EngineChannelKey,
} from '../../shared/contract/api';
import type { ConnectionSettings } from '../../shared/contract/connection';
import type { EmitEvent, JobEvent } from '../../shared/contract/events';
import { JOB_NAMES, type JobRequest } from '../../shared/contract/jobs';
import type { SettingsInput, SettingsView } from '../../shared/contract/settings';
import { appError, type AppError, err, messageWithRemedy, ok, type Result } from '../../shared/errors/app-error';
import { analyzeHazards } from '../../shared/graph/hazards';
import { overlayState } from '../../shared/graph/overlay';
import { buildPlanView } from '../../shared/graph/plan-view';
import type { GraphView } from '../../shared/graph/graph-view';
import type { Profile } from '../../shared/profile/schema';
import { reportOfError, type RunReport } from '../../shared/report/report';
import { NO_RECENT_RUNS, rememberRun, type RecentRuns } from '../../shared/report/recent-runs';
import type { GateId } from '../../shared/report/gates';
import type { FindingId } from '../../shared/findings/catalogue';
import { ciExpectationsFromProfile } from '../../shared/parity/ci-expectations';
import { compareCiWithLocal } from '../../shared/parity/ci-vs-local';
import { readWorkflows } from '../engine/ci/read-workflows';
import { checkPrerequisitesRecent } from '../engine/python/prerequisites-memo';
import { readAlembicVersion, readVersionRowsToPlan } from '../engine/db/read-alembic-version';
import { readServerState } from '../engine/gates/diagnosis/read-database-state';
import type { EmbeddedServer } from '../engine/embedded/embedded-server';
import { previewPlanSql } from '../engine/gates/migrate/preview-sql';
import { runPipeline, type PipelineRequest } from '../engine/pipeline/run-pipeline';
import { runRemediation } from '../engine/remediation/remediation-request';
import { findHalfMadeCopies } from '../engine/copies/half-made-copies';
import { cancelOrGiveUp, gaveUpError } from './cancel-give-up';
import { jobPipeline, remoteHostConfirmed, unconfirmedDrop } from './job-pipeline';
import { loadProfile } from '../engine/profile/load-profile';
import { openProject } from '../engine/project/open-project';
import { checkRepoFolder } from '../engine/project/check-repo-folder';
import { checkPrerequisites } from '../engine/python/check-prerequisites';
import { findPython } from '../engine/python/find-python';
import { openConnection } from '../engine/session/open-connection';
import { defaultEmbeddedDir } from '../engine/platform/app-data';
import { isFullPath } from '../../shared/contract/typed-path';
import type { SettingsSource } from './settings-store';
import { withClient } from '../engine/db/connect';
import { nothingListens } from '../engine/db/nothing-listens';
import { clearTemplates, listTemplates, nextRebuildTemplate, tidyAndPrepareSpare } from '../engine/gates/cache/template-cache';
import { restoreAndReapply } from '../engine/pipeline/restore-and-reapply';
import { listSnapshots, pruneSnapshots } from '../engine/gates/snapshots/safety-snapshots';
import { checkDestructiveAllowed } from '../engine/safety/destructive-guard';
import { collectBundle } from '../engine/bundle/collect-bundle';
import { formatPreviewSql } from '../../shared/contract/preview-sql';
import { bundleFromText } from '../../shared/bundle/bundle';

/** The handlers the engine answers (every channel but the fronts' own). */
export type Handlers = { [K in EngineChannelKey]: ChannelHandler<K> };

export interface AppServiceOptions {
  store: SettingsSource;
  /** Where the bundled PostgreSQL keeps its data (default: the per-user app-data folder). */
  embeddedDir?: string;
  /** How long a cancelled job may wait on the server before it is given up on (default CANCEL_GIVE_UP_MS). */
  cancelGiveUpMs?: number;
  /** Asked when no password is stored (the CLI: environment, password file, then a prompt); without it, a missing password is an error. */
  askPassword?: (superuser: string, server: { host: string; port: number }) => Promise<Result<string>>;
  /** Lines about the bundled server's start (the CLI prints them; the app shows the server in its header). */
  serverLog?: (line: string) => void;
  /** Progress of work that is not a job (a restore's E1–E3), for a front that shows it as it happens. */
  progress?: EmitEvent;
}

export interface AppService {
  handlers: Handlers;
  dispatch(channel: ChannelKey, payload: unknown): Promise<Result<unknown>>;
  /** `dispatch` with the contract's types, for a front in this process (the CLI): the request is validated as IPC's is. */
  call<K extends EngineChannelKey>(channel: K, request: ChannelRequest<K>): Promise<Result<ChannelResponses[K]>>;
  onJobEvent(listener: (event: JobEvent) => void): () => void;
  /**
   * Cancels the restores under way (a restore is a handler, not a job: `cancelJob` does not reach it).
   * Each stops before the database it replaces is dropped, or else finishes; its handler's answer says which.
   * False when none was running.
   */
  cancelRestore(): boolean;
  /** Waits for the running job (and the housekeeping it handed off) to end, without cancelling it. */
  settle(): Promise<void>;
  dispose(): Promise<void>;
}

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

/**
 * The one handler table behind every app front: Electron's IPC and the loopback
 * browser host call `dispatch`, which validates the payload against the contract's
 * schema and runs the handler. Holds what lives as long as the app: settings, the
 * bundled server (kept running while the app is open), the running job.
 */
export function createAppService(options: AppServiceOptions): AppService {
  const { store } = options;
  const listeners = new Set<(event: JobEvent) => void>();
  let embedded: EmbeddedServer | null = null;
  let running: RunningJob | null = null;
  // The restores under way, each with its cancel and its end: cancelRestore and dispose reach them.
  const restores = new Map<AbortController, Promise<unknown>>();
  const cancelRestores = (): boolean => {
    for (const controller of restores.keys()) controller.abort();
    return restores.size > 0;
  };
  // A later diagnosis does not run the tests, but their result still stands for parity and for a reloaded window.
  let recent: RecentRuns = NO_RECENT_RUNS;
  const remember = (report: RunReport) => {
    recent = rememberRun(recent, report);
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
  // A job the app ends itself (an unexpected error, a cancel given up on): remembered like any other, then announced.
  const finishWith = (jobId: string, report: RunReport) => {
    remember(report);
    broadcast({ kind: 'job-finished', jobId, report });
  };

  const profile = (): Result<Profile> => loadProfile(store.read().profilePath || undefined);

  /** The bundled server's folder when Setup names none: the front's (SKELDIR_EMBEDDED_DIR, --embedded-dir), else the per-user default. */
  const defaultServerDir = (): string => options.embeddedDir || defaultEmbeddedDir();
  /** The bundled server's folder: Setup's choice, else the default one. */
  const bundledServerDir = (): string => store.read().connection.embeddedDir?.trim() || defaultServerDir();
  // The folder the running bundled server was started in: a new choice in Setup stops it, and the next use starts one there.
  let embeddedStartedIn: string | null = null;

  const settingsView = (): SettingsView => {
    const stored = store.read();
    const p = profile();
    return {
      connection: {
        ...stored.connection,
        hasPassword: store.secrets.load() !== null,
        canStorePassword: store.secrets.canEncrypt(),
        embeddedDir: stored.connection.embeddedDir ?? '',
        embeddedDefaultDir: defaultServerDir(),
      },
      repoDir: stored.repoDir,
      python: stored.python,
      profilePath: stored.profilePath,
      profileName: p.ok ? p.value.name : 'invalid profile',
      databaseName: p.ok ? p.value.database.name : '',
      ...(p.ok ? {} : { profileError: p.error }),
    };
  };

  const connection = async (): Promise<Result<ConnectionSettings>> => {
    const stored = store.read().connection;
    if (stored.mode === 'embedded') {
      if (embedded) return ok(embedded.settings);
      if (!starting) {
        starting = (async (): Promise<Result<ConnectionSettings>> => {
          options.serverLog?.('starting the bundled PostgreSQL 15 …');
          const dir = bundledServerDir();
          const opened = await openConnection({ kind: 'embedded', dir, onWait: options.serverLog });
          if (!opened.ok) return opened;
          embedded = opened.value.embedded ?? null;
          embeddedStartedIn = dir;
          options.serverLog?.(
            embedded?.attached
              ? `using the bundled PostgreSQL ${embedded.version} already running on 127.0.0.1:${opened.value.settings.port}`
              : `bundled PostgreSQL ${embedded?.version} on 127.0.0.1:${opened.value.settings.port} (data: ${embedded?.dataDir})`,
          );
          return ok(opened.value.settings);
        })().finally(() => {
          starting = null;
        });
      }
      return starting;
    }
    let password = store.secrets.load();
    if (password === null && (await nothingListens(stored.host, stored.port))) {
      // No password can help: the job goes on without one, and its first connection says what is wrong and what to do.
      return ok({ host: stored.host, port: stored.port, superuser: stored.superuser, password: '', embedded: false });
    }
    if (password === null && options.askPassword) {
      const asked = await options.askPassword(stored.superuser, { host: stored.host, port: stored.port });
      if (!asked.ok) return asked;
      // Asked once per service: every later handler uses the same answer.
      store.secrets.save(asked.value);
      password = asked.value;
    }
    if (password === null) {
      return err(
        appError('usage', `No password stored for the PostgreSQL superuser "${stored.superuser}".`, {
          remediation: 'Give the superuser password, or use the bundled PostgreSQL 15 instead.',
          action: 'enter-superuser-password',
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
    const unconfirmed = unconfirmedDrop(request, p.value);
    if (unconfirmed) return err(unconfirmed);
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
      .catch((error: unknown) => {
        if (abandoned) return;
        const failure = appError('internal', 'The job stopped on an unexpected error.', { detail: error instanceof Error ? error.message : String(error) });
        finishWith(jobId, reportOfError(request.kind, job.startedAt, settings.value, failure));
      })
      .finally(() => {
        if (running?.jobId === jobId) running = null;
      });
    return ok({ jobId });
  };

  const handlers: Handlers = {
    getSettings: async () => ok(settingsView()),
    saveSettings: async (input: SettingsInput) => {
      const chosenDir = input.connection.embeddedDir?.trim() ?? '';
      if (chosenDir !== '' && !isFullPath(chosenDir)) {
        return err(
          appError('usage', `The bundled PostgreSQL's folder must be a full path; "${chosenDir}" is relative.`, {
            remediation: 'Give the full path of the folder (for example D:\\SkeldirRebuild\\postgres15), or leave it empty for the default.',
            action: 'choose-bundled-server-folder',
          }),
        );
      }
      const folderChanged = chosenDir !== (store.read().connection.embeddedDir?.trim() ?? '');
      if (running && embedded && (input.connection.mode !== 'embedded' || folderChanged)) {
        return err(
          appError('rebuild-locked', `${JOB_NAMES[running.kind]} is using the bundled PostgreSQL: its server cannot be stopped or moved now.`, {
            remediation: 'Wait for it to finish, or cancel it first, then save again.',
          }),
        );
      }
      store.write(input);
      // A start still under way would hand back a server after we stopped the old one.
      await starting?.catch(() => undefined);
      if (embedded && (input.connection.mode !== 'embedded' || bundledServerDir() !== embeddedStartedIn)) {
        await embedded.stop();
        embedded = null;
        embeddedStartedIn = null;
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
    loadGraph: async ({ withState, target, fromGraph }) => {
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
        const read = settings.ok ? await readVersionRowsToPlan(freshSessions(settings.value), p.value) : settings;
        if (read.ok) {
          rows = read.value;
          overlay = overlayState(project.value.graph, rows);
        } else {
          stateError = read.error;
        }
      }
      const plan = buildPlanView(project.value.graph, p.value, rows, { target, fromGraph });
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
    previewSql: async ({ target, fromGraph }) => {
      const p = profile();
      if (!p.ok) return p;
      const stored = store.read();
      const project = await openProject(stored.repoDir);
      if (!project.ok) return project;
      const python = await findPython({ repoDir: stored.repoDir, flag: stored.python || undefined });
      if (!python.ok) return python;
      const settings = await connection();
      const rows = settings.ok ? ((await readAlembicVersion(freshSessions(settings.value), p.value)) ?? []) : [];
      const plan = buildPlanView(project.value.graph, p.value, rows, { target, fromGraph });
      if (plan.error) return err(plan.error);
      // Offline mode never connects: the URL only tells Alembic the dialect.
      const placeholder: ConnectionSettings = settings.ok
        ? settings.value
        : { host: stored.connection.host, port: stored.connection.port, superuser: stored.connection.superuser, password: '', embedded: false };
      const preview = await previewPlanSql(python.value, project.value.iniPath, project.value.graph, plan, rows, { settings: placeholder, profile: p.value });
      if (!preview.ok) return preview;
      return ok({ target: plan.target, sql: formatPreviewSql(preview.value), steps: preview.value });
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
        broadcast({ kind: 'log-line', jobId, gate: job.gate(), stream: 'info', line: messageWithRemedy(failure) });
        finishWith(jobId, report);
      }
      return ok({ cancelled: true });
    },
    getRecentRuns: async () => ok(recent),
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
            report: recent.last,
            plan: null,
            platform: process.platform,
            lastValidation: recent.lastValidation,
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
      const planView = project.ok ? buildPlanView(project.value.graph, p.value, recent.last?.database?.alembicVersion ?? []) : null;
      const rows = compareCiWithLocal(ci, {
        report: recent.last,
        plan: planView && !planView.error ? planView : null,
        python: prerequisites.python,
        platform: process.platform,
        lastValidation: recent.lastValidation,
        validationSuites: p.value.validationSuites,
      });
      return ok({ ci, rows });
    },
    listCopies: async () => {
      const opened = await profileAndServer();
      if (!opened.ok) return opened;
      const target = opened.value;
      const db = target.profile.database.name;
      // Without a usable repository the cache's answer is unknown, and the view says what would decide it.
      const repoDir = store.read().repoDir;
      const project = repoDir ? await openProject(repoDir) : null;
      return withClient(freshSessions(target.settings), { database: 'postgres' }, 'listing snapshots and templates', async (admin) => ({
        database: db,
        snapshots: await listSnapshots(admin, db),
        templates: await listTemplates(admin, db),
        templatesKept: target.profile.templatesKept,
        halfMade: await findHalfMadeCopies(admin, db),
        ...(project?.ok ? { nextRebuild: await nextRebuildTemplate(admin, target.profile, project.value) } : {}),
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
    restoreSnapshot: async ({ name, confirmDatabaseName, confirmRemoteHost }) => {
      const opened = await profileAndServer();
      if (!opened.ok) return opened;
      const target = opened.value;
      if (running)
        return err(
          appError('rebuild-locked', `Cannot restore while ${JOB_NAMES[running.kind].toLowerCase()} is running.`, {
            remediation: 'Wait for it to finish, or cancel it first.',
          }),
        );
      const allowed = await checkDestructiveAllowed({
        host: target.settings.host,
        database: target.profile.database.name,
        profile: target.profile,
        confirmed: confirmDatabaseName === target.profile.database.name,
        allowRemote: remoteHostConfirmed(confirmRemoteHost, target.settings),
      });
      if (!allowed.ok) return allowed;
      const stored = store.read();
      const controller = new AbortController();
      const restoring = restoreAndReapply(
        target.settings,
        target.profile,
        name,
        options.progress ?? (() => undefined),
        { repoDir: stored.repoDir || undefined, pythonFlag: stored.python || undefined },
        controller.signal,
      );
      restores.set(controller, restoring);
      try {
        const restored = await restoring;
        if (restored.ok) remember(restored.value.report);
        return restored;
      } finally {
        restores.delete(controller);
      }
    },
    cancelRestore: async () => ok({ cancelled: cancelRestores() }),
    pruneSnapshots: async ({ names }) => {
      const opened = await profileAndServer();
      if (!opened.ok) return opened;
      const target = opened.value;
      const pruned = await pruneSnapshots(target.settings, target.profile, names);
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
        lastRun: recent.last,
      });
      const stamp = bundle.createdAt.replace(/[:.]/g, '-').slice(0, 19);
      if (format === 'html') {
        // The page's graph layout (dagre) is loaded only when a page is asked for: every CLI command's start-up would pay for it.
        const { renderBundleHtml } = await import('../engine/bundle/render-html.js');
        return ok({ fileName: `skeldir-diagnosis-${stamp}.html`, mimeType: 'text/html', content: renderBundleHtml(bundle) });
      }
      return ok({ fileName: `skeldir-diagnosis-${stamp}.json`, mimeType: 'application/json', content: `${JSON.stringify(bundle, null, 2)}\n` });
    },
    openDiagnosis: async ({ name, text }) => bundleFromText(text, name),
    checkRepoFolder: async ({ path }) => ok(await checkRepoFolder(path)),
  };

  const dispatch = async (channel: ChannelKey, payload: unknown): Promise<Result<unknown>> => {
    const spec = CHANNELS[channel];
    if (!spec) return err(appError('usage', `Unknown channel ${String(channel)}.`));
    if (isFrontChannel(channel)) return err(appError('usage', `${spec.name} is answered by the app's window, not by the engine.`));
    return runValidated(channel, payload, (request) => (handlers[channel] as (request: unknown) => Promise<Result<unknown>>)(request));
  };

  return {
    handlers,
    dispatch,
    // dispatch answers with the handler's own Result, whose value is this channel's response.
    call: (channel, request) => dispatch(channel, request) as Promise<Result<ChannelResponses[typeof channel]>>,
    onJobEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    cancelRestore: cancelRestores,
    async settle() {
      await running?.done.catch(() => undefined);
      await housekeeping;
    },
    async dispose() {
      await starting?.catch(() => undefined);
      running?.controller.abort();
      cancelRestores();
      await Promise.all([...restores.values()].map((restoring) => restoring.catch(() => undefined)));
      await running?.done.catch(() => undefined);
      await housekeeping;
      await embedded?.stop();
      embedded = null;
    },
  };
}

/** How a remediation job runs (the crash-recovery fixes have a step of their own before the pipeline). */
function remediationRunner(findingId: string): (request: PipelineRequest, emit: EmitEvent) => Promise<RunReport> {
  return (request, emit) => runRemediation(findingId as FindingId, request, emit);
}
