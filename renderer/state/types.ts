import type { AppApi } from '../../shared/contract/api';
import type { JobEvent } from '../../shared/contract/events';
import type { JobRequest } from '../../shared/contract/jobs';
import type { SettingsInput, SettingsView } from '../../shared/contract/settings';
import type { AppError } from '../../shared/errors/app-error';
import type { GraphView } from '../../shared/graph/graph-view';
import type { PrerequisiteReport } from '../../shared/prerequisites/prerequisites';
import type { GateId } from '../../shared/report/gates';
import type { Finding, GateReport, RunReport, ServerInfo } from '../../shared/report/report';
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
  loadLastReport(): Promise<void>;
  dismissJobError(): void;
}

export interface GraphSlice {
  graph: GraphView | null;
  graphLoad: Load;
  selectedRevision: string | null;
  loadGraph(): Promise<void>;
  selectRevision(id: string | null): void;
  upgradeTo(id: string): Promise<boolean>;
}

export interface FindingsSlice {
  /** The findings of the last finished run. */
  findings: Finding[];
  /** The finding whose remediation job is running. */
  remediating: string | null;
  remediate(findingId: string): Promise<boolean>;
}

export type ViewId = 'setup' | 'gates' | 'graph' | 'findings' | 'parity' | 'results';

export interface UiSlice {
  view: ViewId;
  selectedGate: GateId;
  /** True until the user picks a gate by hand: the rail then follows the running gate. */
  followRunningGate: boolean;
  rebuildDialogOpen: boolean;
  setView(view: ViewId): void;
  selectGate(gate: GateId): void;
  openRebuildDialog(): void;
  closeRebuildDialog(): void;
}

export interface LifecycleSlice {
  /** First reads at start-up, in an order that never starts the bundled server twice. */
  init(): Promise<void>;
}

export type AppState = ConnectionSlice & PrerequisitesSlice & RunSlice & GraphSlice & FindingsSlice & UiSlice & LifecycleSlice;

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
