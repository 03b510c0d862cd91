import type { AppViewId } from '../../shared/contract/app-views';
import type { AppApi, ChannelResponses } from '../../shared/contract/api';
import type { DiagnosticBundle } from '../../shared/bundle/bundle';
import type { CopiesView } from '../../shared/contract/copies';
import type { FolderPurpose, RepoFolderCheck } from '../../shared/contract/folders';
import type { JobEvent } from '../../shared/contract/events';
import type { JobRequest } from '../../shared/contract/jobs';
import type { SettingsInput, SettingsView } from '../../shared/contract/settings';
import type { AppError } from '../../shared/errors/app-error';
import type { GraphView } from '../../shared/graph/graph-view';
import type { PrerequisiteReport } from '../../shared/prerequisites/prerequisites';
import type { GateId } from '../../shared/report/gates';
import type { Finding, GateReport, RunProvenance, RunReport, ServerInfo } from '../../shared/report/report';
import type { FixOutcome } from '../../shared/findings/fix-outcome';
import type { RunState } from './run-state';

/**
 * The renderer's one store, assembled from slices (zustand's "slices pattern").
 * Components read single values through `useApp(selector)`; every call to the engine
 * happens in an action here, never in a component.
 */
export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

export interface Load {
  status: LoadStatus;
  error: AppError | null;
}

export const IDLE: Load = { status: 'idle', error: null };

export interface ServerStatus {
  info: ServerInfo | null;
  error: AppError | null;
  at: number;
}

export interface ConnectionSlice {
  settings: SettingsView | null;
  settingsLoad: Load;
  saveLoad: Load;
  /** The Setup view's "Test connection" result. */
  connectionTest: Load & { server: ServerInfo | null };
  /** What the header shows: the newest word about the server, from a test or a finished run. */
  serverStatus: ServerStatus | null;
  loadSettings(): Promise<void>;
  saveSettings(input: SettingsInput): Promise<boolean>;
  testConnection(): Promise<void>;
}

/** The live check of the repository folder as typed in Setup. */
export interface RepoFolderCheckState {
  /** The field's text the check (or its absence) is for. */
  typed: string;
  status: 'idle' | 'checking' | 'done' | 'error';
  check: RepoFolderCheck | null;
  error: AppError | null;
}

export interface FolderSlice {
  /** Whether this front has a native folder dialog (the desktop app); the browser host has the checked field alone. */
  folderDialog: boolean;
  repoFolderCheck: RepoFolderCheckState;
  /** Why the folder dialog could not open, and for which field, until the next try. */
  folderDialogError: { purpose: FolderPurpose; error: AppError } | null;
  checkRepoFolder(typed: string): Promise<void>;
  /** The folder chosen in the dialog, or null (cancelled, or no dialog). */
  chooseFolder(purpose: FolderPurpose, startIn: string): Promise<string | null>;
}

export interface PrerequisitesSlice {
  prerequisites: PrerequisiteReport | null;
  prerequisitesLoad: Load;
  checkPrerequisites(): Promise<void>;
}

export interface RunSlice extends RunState {
  /** Why the last job could not start, or the error its report carried. */
  jobError: AppError | null;
  startJob(request: JobRequest): Promise<boolean>;
  cancelJob(): Promise<void>;
  /** Called by the bridge with a batch of events, in arrival order. */
  applyEvents(events: JobEvent[]): void;
  /** After a window reload: the last run and what the engine remembers of the runs before it. */
  loadRecentRuns(): Promise<void>;
  dismissJobError(): void;
}

export interface GraphSlice {
  graph: GraphView | null;
  graphLoad: Load;
  selectedRevision: string | null;
  loadGraph(): Promise<void>;
  selectRevision(id: string | null): void;
  upgradeTo(id: string): Promise<boolean>;
  /** Keys of the folded runs (`run:<first>`) the user expanded; emptied when a new graph loads. */
  graphExpanded: string[];
  /** Whether depends_on edges are drawn (they tangle graphs with many of them). */
  graphShowDepends: boolean;
  graphMinimap: boolean;
  /** The revision "Upgrade to here" was last started for, so the graph can show its outcome inline. */
  graphUpgradeTarget: string | null;
  setRunExpanded(key: string, expanded: boolean): void;
  setGraphOption(option: 'graphShowDepends' | 'graphMinimap', on: boolean): void;
}

export interface FindingsSlice {
  /** The findings of the last finished run. */
  findings: Finding[];
  /** The finding whose remediation job is running. */
  remediating: string | null;
  /** How the last fix ended: the finding gone, or still there and why (cleared by the next job's end). */
  lastFix: FixOutcome | null;
  /** `confirmDatabaseName`: the database name typed out, for a fix that drops or replaces a database. */
  remediate(findingId: string, confirmDatabaseName?: string): Promise<boolean>;
}

/** One of the app's views (shared/contract/app-views). */
export type ViewId = AppViewId;

/** The parity matrix as the engine (or a bundle) states it: CI's facts and one row per line of the guide. */
export type ParityMatrix = ChannelResponses['getParity'];

export interface ParitySlice {
  parity: ParityMatrix | null;
  parityLoad: Load;
  loadParity(): Promise<void>;
}

/** What the last rebuild with drop said about the template cache (the report's cache section). */
export interface CacheNote {
  status: string;
  key: string | null;
  template: string | null;
}

export type CopyActionKind = 'clear-cache' | 'restore' | 'prune';

/** The last Snapshots action: running, or how it ended (a sentence, or the AppError). */
export interface CopyAction {
  kind: CopyActionKind;
  status: 'running' | 'done' | 'error';
  message: string;
  error: AppError | null;
  /** A running restore the user asked to stop: its Cancel is spent. */
  cancelling?: boolean;
}

export interface CopiesSlice {
  copies: CopiesView | null;
  copiesLoad: Load;
  copyAction: CopyAction | null;
  /** Kept across later diagnoses, which say nothing about the cache. */
  lastCache: CacheNote | null;
  loadCopies(): Promise<void>;
  clearCache(): Promise<boolean>;
  /** `confirmRemoteHost`: the host the user typed when the server is not this machine. */
  restoreSnapshot(name: string, confirmDatabaseName: string, confirmRemoteHost?: string): Promise<boolean>;
  /** Asks the restore under way to stop before it replaces the database; its own outcome says whether it did. */
  cancelRestore(): Promise<void>;
  /** Drops exactly the snapshots the user was shown and confirmed. */
  pruneSnapshots(names: string[]): Promise<boolean>;
  dismissCopyAction(): void;
}

/** A bundle opened read-only, turned into what the views show. */
export interface BundleViewing {
  /** The file name the user opened. */
  name: string;
  bundle: DiagnosticBundle;
  gates: RunState['gates'];
  logs: RunState['logs'];
  /** The run the Gates view shows: the last run before the bundle, or the bundle's diagnosis. */
  report: RunReport;
  findings: Finding[];
  lastValidation: GateReport | null;
  lastValidationRun: RunProvenance | null;
  graph: GraphView | null;
  parity: ParityMatrix;
}

export type DiagnosisFile = ChannelResponses['saveDiagnosis'];

export interface BundleSlice {
  viewing: BundleViewing | null;
  openLoad: Load;
  diagnosisSave: Load;
  openDiagnosis(name: string, text: string): Promise<boolean>;
  closeDiagnosis(): void;
  /** Builds the bundle in the engine; the caller saves the returned file. */
  saveDiagnosis(format: 'json' | 'html'): Promise<DiagnosisFile | null>;
  dismissOpenError(): void;
}

export type CompareSideId = 'a' | 'b';

/**
 * Where a Compare side's bundle comes from: this machine read on the spot, a file, or the
 * diagnosis being viewed. A live read is not a saved file, so the view labels it by when it was read.
 */
export type CompareSideSource = 'live' | 'file' | 'viewing';

export interface CompareSide {
  status: LoadStatus;
  /** Null for a side not chosen yet. */
  source: CompareSideSource | null;
  /** "This machine", the file's name, or the open diagnosis's file name. */
  label: string;
  bundle: DiagnosticBundle | null;
  error: AppError | null;
}

export interface CompareSlice {
  compare: Record<CompareSideId, CompareSide>;
  compareWithFile(side: CompareSideId, name: string, text: string): Promise<void>;
  compareWithLive(side: CompareSideId): Promise<void>;
  compareWithViewing(side: CompareSideId): void;
  clearCompareSide(side: CompareSideId): void;
}

export interface SqlPreview {
  target: string;
  status: 'loading' | 'ready' | 'error';
  sql: string;
  error: AppError | null;
}

export interface PreviewSlice {
  sqlPreview: SqlPreview | null;
  previewSql(target: string): Promise<void>;
  closeSqlPreview(): void;
}

export interface UiSlice {
  view: ViewId;
  selectedGate: GateId;
  /** True until the user picks a gate by hand: the rail then follows the running gate. */
  followRunningGate: boolean;
  rebuildDialogOpen: boolean;
  saveDiagnosisDialogOpen: boolean;
  /** Switches the view and reads what it shows (parity, snapshots) afresh. */
  setView(view: ViewId): void;
  selectGate(gate: GateId): void;
  openRebuildDialog(): void;
  closeRebuildDialog(): void;
  openSaveDiagnosisDialog(): void;
  closeSaveDiagnosisDialog(): void;
}

export interface LifecycleSlice {
  /** First reads at start-up, in an order that never starts the bundled server twice. */
  init(): Promise<void>;
}

export type AppState = ConnectionSlice &
  PrerequisitesSlice &
  RunSlice &
  GraphSlice &
  FindingsSlice &
  UiSlice &
  LifecycleSlice &
  ParitySlice &
  CopiesSlice &
  BundleSlice &
  CompareSlice &
  PreviewSlice &
  FolderSlice;

export type SetState = (partial: Partial<AppState> | ((state: AppState) => Partial<AppState>)) => void;
export type GetState = () => AppState;

export interface SliceContext {
  set: SetState;
  get: GetState;
  api: AppApi;
  /** Runs engine calls that may start the bundled PostgreSQL one at a time (see serial.ts). */
  serverCall: <T>(work: () => Promise<T>) => Promise<T>;
}

export type { GateReport, RunReport };
