import { z } from 'zod';
import { CHANNEL_NAMES, JOB_EVENT_CHANNEL, type ChannelKey } from './channel-names';
import { appError, err, type Result } from '../errors/app-error';
import type { GraphView } from '../graph/graph-view';
import type { PrerequisiteReport } from '../prerequisites/prerequisites';
import type { RunReport, ServerInfo } from '../report/report';
import type { RecentRuns } from '../report/recent-runs';
import type { DiagnosticBundle } from '../bundle/bundle';
import type { CiExpectations } from '../parity/ci-expectations';
import type { CiParityRow } from '../parity/ci-vs-local';
import type { CopiesView } from './copies';
import type { PreviewStep } from './preview-sql';
import type { JobEvent } from './events';
import { checkRepoFolderRequestSchema, chooseFolderRequestSchema, type FolderChoice, type RepoFolderCheck } from './folders';
import { jobRequestSchema } from './jobs';
import { settingsInputSchema, type SettingsView } from './settings';

/** The request of a channel that takes no arguments: any key sent is refused. */
const empty = z.object({}).strict();

/**
 * The one contract between the engine and its fronts. Every channel is declared once
 * here with its request schema; the Electron main process, the loopback test host and
 * the CLI dispatch to the same handler table (electron/app-service/). Every response is
 * a Result, so errors cross the boundary as values with user-facing messages.
 */
export const CHANNELS = {
  /** Settings as stored, without the password. */
  getSettings: { name: CHANNEL_NAMES.getSettings, request: empty },
  /** Validates and stores settings; a typed password is encrypted at rest. */
  saveSettings: { name: CHANNEL_NAMES.saveSettings, request: settingsInputSchema },
  /** Connects as the superuser (starting the bundled server if chosen) and reports the server. */
  testConnection: { name: CHANNEL_NAMES.testConnection, request: empty },
  /** Interpreter, packages, alembic.ini: each a ✓/✗ line with its fix. */
  checkPrerequisites: { name: CHANNEL_NAMES.checkPrerequisites, request: empty },
  /**
   * Parses the repo's Alembic graph; with withState, overlays the database's alembic_version.
   * The plan goes to `target` (default: the profile's), from the graph alone with `fromGraph`.
   */
  loadGraph: {
    name: CHANNEL_NAMES.loadGraph,
    request: z.object({ withState: z.boolean(), target: z.string().min(1).max(200).optional(), fromGraph: z.boolean().optional() }).strict(),
  },
  /** The SQL an upgrade to `target` (default: the profile's) would run (offline mode), planned from the graph unless `fromGraph` is false. */
  previewSql: {
    name: CHANNEL_NAMES.previewSql,
    request: z.object({ target: z.string().min(1).max(200).optional(), fromGraph: z.boolean().default(true) }).strict(),
  },
  /** Starts a long job; progress arrives as JobEvents on app:job-event. */
  startJob: { name: CHANNEL_NAMES.startJob, request: jobRequestSchema },
  /** Cancels a running job: the child process tree is ended, the state re-read. */
  cancelJob: { name: CHANNEL_NAMES.cancelJob, request: z.object({ jobId: z.string().min(1).max(64) }).strict() },
  /** The last finished run, the newest that changed the database, and the newest R5 that ran (for a renderer reload). */
  getRecentRuns: { name: CHANNEL_NAMES.getRecentRuns, request: empty },
  /**
   * The CI/local parity matrix: CI read from the repository's .github/workflows (the
   * profile when there are none) against the last run, the planned migrations and the
   * interpreter. Reads no database, so it never starts the bundled server.
   */
  getParity: { name: CHANNEL_NAMES.getParity, request: empty },
  /** Safety snapshots and cache templates of the profile's database. */
  listCopies: { name: CHANNEL_NAMES.listCopies, request: empty },
  /** Drops every cache template (and prepared copy): the next rebuild runs cold. */
  clearCache: { name: CHANNEL_NAMES.clearCache, request: empty },
  /**
   * Puts a snapshot back as the database (the current one is snapshotted first): the user
   * confirms the database name, and on a non-local server the host as well (--allow-remote).
   */
  restoreSnapshot: {
    name: CHANNEL_NAMES.restoreSnapshot,
    request: z.object({ name: z.string().min(1).max(63), confirmDatabaseName: z.string().max(63), confirmRemoteHost: z.string().max(255).optional() }).strict(),
  },
  /**
   * Cancels the restore under way (a handler, not a job: cancelJob does not reach it). It stops
   * before the database is replaced, or else finishes; the restore's own answer says which.
   */
  cancelRestore: { name: CHANNEL_NAMES.cancelRestore, request: empty },
  /** Drops the snapshots the user confirmed by name (shown the list first); one taken since stays. */
  pruneSnapshots: {
    name: CHANNEL_NAMES.pruneSnapshots,
    request: z.object({ names: z.array(z.string().min(1).max(63)).max(1000) }).strict(),
  },
  /** Builds a diagnostic bundle (secrets redacted) and returns it as a file to save. */
  saveDiagnosis: { name: CHANNEL_NAMES.saveDiagnosis, request: z.object({ format: z.enum(['json', 'html']) }).strict() },
  /** Reads a bundle file's text (JSON or the HTML page) for read-only viewing. */
  openDiagnosis: { name: CHANNEL_NAMES.openDiagnosis, request: z.object({ name: z.string().max(260), text: z.string().max(50_000_000) }).strict() },
  /** Whether a typed folder holds an Alembic project, decided by the code a rebuild opens it with; reads files only. */
  checkRepoFolder: { name: CHANNEL_NAMES.checkRepoFolder, request: checkRepoFolderRequestSchema },
  /** Opens the window's folder dialog (a front channel: the engine has no window). */
  chooseFolder: { name: CHANNEL_NAMES.chooseFolder, request: chooseFolderRequestSchema },
} as const;

/**
 * Channels each front answers itself instead of the engine, because they need its window:
 * Electron shows a native dialog, the browser host answers that it has none.
 */
const FRONT_CHANNEL_KEYS = ['chooseFolder'] as const satisfies readonly ChannelKey[];
export type FrontChannelKey = (typeof FRONT_CHANNEL_KEYS)[number];
export type EngineChannelKey = Exclude<ChannelKey, FrontChannelKey>;

export function isFrontChannel(key: ChannelKey): key is FrontChannelKey {
  return (FRONT_CHANNEL_KEYS as readonly ChannelKey[]).includes(key);
}

export type { ChannelKey };
// Every channel has a name and a schema, and no name lacks a schema.
const _sameKeys: Record<ChannelKey, unknown> = CHANNELS;
void _sameKeys;

/** What each channel answers (inside a Result). */
export interface ChannelResponses {
  getSettings: SettingsView;
  saveSettings: SettingsView;
  testConnection: ServerInfo;
  checkPrerequisites: PrerequisiteReport;
  loadGraph: GraphView;
  /** `sql` is every step's text in one listing (formatPreviewSql); `steps` the same, step by step. */
  previewSql: { target: string; sql: string; steps: PreviewStep[] };
  startJob: { jobId: string };
  cancelJob: { cancelled: boolean };
  getRecentRuns: RecentRuns;
  getParity: { ci: CiExpectations; rows: CiParityRow[] };
  listCopies: CopiesView;
  clearCache: { removed: string[] };
  restoreSnapshot: { restored: string; previous: string | null; report: RunReport };
  cancelRestore: { cancelled: boolean };
  pruneSnapshots: { removed: string[] };
  saveDiagnosis: { fileName: string; mimeType: string; content: string };
  openDiagnosis: DiagnosticBundle;
  checkRepoFolder: RepoFolderCheck;
  chooseFolder: FolderChoice;
}

export type ChannelRequest<K extends ChannelKey> = z.input<(typeof CHANNELS)[K]['request']>;

/** A handler of channel K as a front or the engine implements it: the request already validated. */
export type ChannelHandler<K extends ChannelKey> = (request: z.output<(typeof CHANNELS)[K]['request']>) => Promise<Result<ChannelResponses[K]>>;

/** What a front (Electron's main process, the browser host) implements itself. */
export type FrontHandlers = { [K in FrontChannelKey]: ChannelHandler<K> };

/**
 * The one gate every channel's payload passes, the engine's and the fronts' alike: checked
 * against the contract, then handed to `run`; an invalid payload is a usage error naming
 * each field, and a handler that throws is an internal error instead of a rejected promise.
 */
export async function runValidated(key: ChannelKey, payload: unknown, run: (request: unknown) => Promise<Result<unknown>>): Promise<Result<unknown>> {
  const spec = CHANNELS[key];
  const parsed = spec.request.safeParse(payload ?? {});
  if (!parsed.success) {
    return err(
      appError('usage', `Invalid request for ${spec.name}.`, {
        detail: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(request)'}: ${issue.message}`).join('\n'),
      }),
    );
  }
  try {
    return await run(parsed.data);
  } catch (error) {
    return err(appError('internal', `The ${spec.name} handler failed unexpectedly.`, { detail: error instanceof Error ? error.message : String(error) }));
  }
}

/** Validates a front channel's payload against the contract and runs the front's handler. */
export function dispatchFront(handlers: FrontHandlers, key: FrontChannelKey, payload: unknown): Promise<Result<unknown>> {
  return runValidated(key, payload, (request) => (handlers[key] as (request: unknown) => Promise<Result<unknown>>)(request));
}

/** The object the preload (Electron) or the browser-host client hands the renderer as `window.api`. */
export type AppApi = {
  [K in ChannelKey]: (request: ChannelRequest<K>) => Promise<Result<ChannelResponses[K]>>;
} & {
  /** Subscribes to job progress; returns the unsubscribe function. */
  onJobEvent(listener: (event: JobEvent) => void): () => void;
};

export { JOB_EVENT_CHANNEL };
