import type { AppError } from '../errors/app-error';
import type { UserAction } from '../errors/user-action';
import type { GateId, GateStatus, StepStatus } from './gates';
import type { ReportSections } from './report-sections';

/**
 * The one report every front produces: the CLI prints it with --json, the app
 * renders it, a diagnostic bundle embeds it. Documented field by field because
 * support staff read it raw.
 */
export interface StepReport {
  /** Stable id, e.g. "create-role-app_user". */
  id: string;
  title: string;
  status: StepStatus;
  /** One line for humans: "created", "already exists", the error's message. */
  detail: string;
  durationMs?: number;
  /** Query rows or command output that back the status. */
  evidence?: unknown;
  /** Where a check's expectation comes from: "profile" (the guide's, as the profile states it) or "revisions" (the migrations' own statements). */
  source?: 'profile' | 'revisions';
  /** What the user can do about the step, for each front to name its own way (a CLI flag, a Setup field). */
  action?: UserAction;
  /** What the action applies to, when a front's words need it: the snapshot to restore. */
  actionTarget?: string;
}

export interface GateReport {
  id: GateId;
  status: GateStatus;
  durationMs: number;
  steps: StepReport[];
  /** Gate-specific extras (R4: the plan and the revisions that ran; R5: test results). */
  details?: Record<string, unknown>;
  error?: AppError;
}

export type Severity = 'error' | 'warning' | 'info';

export interface Remediation {
  /** Action id from the finding catalogue, runnable by `skeldir-rebuild fix` and the app. */
  action: string;
  label: string;
}

export interface Finding {
  /** Catalogue id: FM1…FM4 for the guide's failure modes, others for E1 symptoms. */
  id: string;
  severity: Severity;
  title: string;
  evidence: string;
  /** What the user should understand or do, in words. */
  explanation?: string;
  remediation: Remediation | null;
  /** What the user does by hand when no fix does it, for each front to name its own way (a CLI command, a view's button). */
  action?: UserAction;
  /** What the action applies to, when a front's words need it: the snapshot to restore. */
  actionTarget?: string;
  /**
   * The gate (and step) whose failure this finding explains. A failed step that no
   * finding claims becomes a generic STEP-FAILED finding (see step-findings), so a
   * detector that explains a step should say so here.
   */
  source?: FindingSource;
}

export interface FindingSource {
  gate: GateId;
  /** The step's id; absent when the finding explains any failed step of the gate. */
  step?: string;
}

/**
 * Where a report comes from: the repository (and its commit, when it is a git checkout)
 * and the run. The app compares `repoDir` with Setup's to say "not run for this
 * repository" instead of showing another repository's results.
 */
export interface RunProvenance {
  /** The repository folder as the run was given it (absolute), or null when none was set. */
  repoDir: string | null;
  /** The checked-out commit (40 hex digits), read from .git without running git; null when not a git checkout or unreadable. */
  commit: string | null;
  /** The branch HEAD names ("main"), or null when detached or unknown. */
  branch: string | null;
  command: string;
  /** ISO time the run started. */
  startedAt: string;
  /** The server the run talked to; absent in older reports. The app compares its cluster with Setup's. */
  server?: ServerInfo;
}

export interface ServerInfo {
  host: string;
  port: number;
  /** e.g. "15.18"; null when the server could not be reached. */
  version: string | null;
  major: number | null;
  embedded: boolean;
  /**
   * The cluster's system identifier (set by initdb), which tells two servers apart where
   * host and port cannot; null when it could not be read, absent in older reports.
   */
  systemId?: string | null;
}

export interface ConnectionCheck {
  role: string;
  database: string;
  ok: boolean;
  error?: AppError;
  /** Why the login was not tried (a rebuild about to drop the database checks it on the rebuilt one). */
  notChecked?: string;
}

export interface DatabaseState {
  name: string;
  exists: boolean;
  owner: string | null;
  /** Profile roles that exist on the server. */
  roles: string[];
  missingRoles: string[];
  /** Every role on the server but PostgreSQL's own (pg_*); absent in older reports. Parity compares CI's roles with it. */
  serverRoles?: string[];
  /** Profile roles present but unable to log in (NOLOGIN): bootstrap creates each with LOGIN. */
  rolesWithoutLogin?: string[];
  /** Tables in the public schema. */
  tables: string[];
  missingTables: string[];
  /** Tables present that the profile does not expect. */
  otherTables: string[];
  /** Database-level settings, name → value; null when the database is missing. */
  guc: Record<string, string> | null;
  missingGucs: string[];
  /** Rows of alembic_version; null when the table does not exist. */
  alembicVersion: string[] | null;
  connections: ConnectionCheck[];
  /** Why tables and alembic_version could not be read (e.g. the login role lacks privileges); they are then unknown. */
  insideError?: string;
  /** What to do about insideError, when something can be done (another session's lock: close it). */
  insideRemediation?: string;
  /** Left half-dropped by an interrupted DROP DATABASE (a crash, a full disk): nothing in it can be read or copied any more. */
  invalid?: boolean;
  /** Closed to new connections (ALLOW_CONNECTIONS false): a drop or restore is under way, or one stopped before it could reopen it. */
  closed?: boolean;
  /** Closed by a run that holds the database now (its pid when known): it reopens the database itself, or drops it. */
  closedByRun?: { pid: number | null };
}

/** The run's own sections (cache, snapshot, plan …) are named and typed in report-sections, with their schemas. */
export interface RunReport extends ReportSections {
  command: string;
  /** ISO time the run started. */
  startedAt: string;
  server: ServerInfo;
  gates: GateReport[];
  findings: Finding[];
  database: DatabaseState | null;
  /** Set when the run could not start (bad input, unreachable server). */
  error?: AppError;
  /** The user cancelled the run: the gate it stopped in failed by the cancel, not by a fault, and the gates after it did not run. */
  cancelled?: boolean;
  /** Which repository, commit and run the results are from (absent in reports of older versions). */
  provenance?: RunProvenance;
}

/** The report of a run that ended before it could read anything: its error, the server it was meant for, and the gates it blocked. */
export function reportOfError(
  command: string,
  startedAt: string,
  server: { host: string; port: number; embedded: boolean },
  error: AppError,
  gates: GateReport[] = [],
): RunReport {
  return {
    command,
    startedAt,
    server: { host: server.host, port: server.port, version: null, major: null, embedded: server.embedded },
    gates,
    findings: [],
    database: null,
    error,
  };
}
