import { z } from 'zod';
import type { Result } from '../errors/app-error';
import type { GraphView } from '../graph/graph-view';
import type { PrerequisiteReport } from '../prerequisites/prerequisites';
import type { RunReport, ServerInfo } from '../report/report';
import type { JobEvent } from './events';
import { jobRequestSchema } from './jobs';
import { settingsInputSchema, type SettingsView } from './settings';

/**
 * The one contract between the engine and its fronts. Every channel is declared once
 * here with its request schema; the Electron main process, the loopback test host and
 * the CLI dispatch to the same handler table (electron/engine/api/). Every response is
 * a Result, so errors cross the boundary as values with user-facing messages.
 */
const empty = z.object({}).strict();

export const CHANNELS = {
  /** Settings as stored, without the password. */
  getSettings: { name: 'app:get-settings', request: empty },
  /** Validates and stores settings; a typed password is encrypted at rest. */
  saveSettings: { name: 'app:save-settings', request: settingsInputSchema },
  /** Connects as the superuser (starting the bundled server if chosen) and reports the server. */
  testConnection: { name: 'app:test-connection', request: empty },
  /** Interpreter, packages, alembic.ini: each a ✓/✗ line with its fix. */
  checkPrerequisites: { name: 'app:check-prerequisites', request: empty },
  /** Parses the repo's Alembic graph; with withState, overlays the database's alembic_version. */
  loadGraph: { name: 'app:load-graph', request: z.object({ withState: z.boolean() }).strict() },
  /** The SQL an upgrade to `target` would run (offline mode), without touching the database. */
  previewSql: { name: 'app:preview-sql', request: z.object({ target: z.string().min(1).max(200) }).strict() },
  /** Starts a long job; progress arrives as JobEvents on app:job-event. */
  startJob: { name: 'app:job-start', request: jobRequestSchema },
  /** Cancels a running job: the child process tree is ended, the state re-read. */
  cancelJob: { name: 'app:job-cancel', request: z.object({ jobId: z.string().min(1).max(64) }).strict() },
  /** The report of the last finished job, if any (for a renderer reload). */
  getLastReport: { name: 'app:get-last-report', request: empty },
} as const;

export type ChannelKey = keyof typeof CHANNELS;

/** What each channel answers (inside a Result). */
export interface ChannelResponses {
  getSettings: SettingsView;
  saveSettings: SettingsView;
  testConnection: ServerInfo;
  checkPrerequisites: PrerequisiteReport;
  loadGraph: GraphView;
  previewSql: { target: string; sql: string };
  startJob: { jobId: string };
  cancelJob: { cancelled: boolean };
  getLastReport: RunReport | null;
}

export type ChannelRequest<K extends ChannelKey> = z.input<(typeof CHANNELS)[K]['request']>;

/** The object the preload (Electron) or the browser-host client hands the renderer as `window.api`. */
export type AppApi = {
  [K in ChannelKey]: (request: ChannelRequest<K>) => Promise<Result<ChannelResponses[K]>>;
} & {
  /** Subscribes to job progress; returns the unsubscribe function. */
  onJobEvent(listener: (event: JobEvent) => void): () => void;
};

export const JOB_EVENT_CHANNEL = 'app:job-event';
