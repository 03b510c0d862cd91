import type { JobEvent } from '../../shared/contract/events';
import type { JobKind } from '../../shared/contract/jobs';
import { GATE_IDS, GATE_TITLES, type GateId, type GateStatus } from '../../shared/report/gates';
import type { Finding, GateReport, RunProvenance, RunReport, StepReport } from '../../shared/report/report';
import { rememberRun, type RecentRuns, type RunMoment } from '../../shared/report/recent-runs';

/**
 * What the app shows about the running (or last) job, and the pure reducer that turns
 * JobEvents into it. Pure so it is unit-tested without React or an engine; the run
 * slice wraps it.
 */
export interface GateRun {
  id: GateId;
  status: GateStatus;
  title: string;
  /** When gate-started arrived (ms since epoch), for the live duration. */
  startedAt: number | null;
  durationMs: number | null;
  steps: StepReport[];
  /** The last step counter seen: "[stepIndex/totalSteps]". */
  stepIndex: number;
  totalSteps: number | null;
  /** Part of the current (or last) run; other gates are shown dimmed. */
  inRun: boolean;
  report: GateReport | null;
}

export interface LogLine {
  seq: number;
  stream: 'stdout' | 'stderr' | 'info';
  text: string;
}

export interface ActiveJob {
  /** Null between startJob and its answer. */
  jobId: string | null;
  /** Null for a job this window did not start (found running after a reload). */
  kind: JobKind | null;
  startedAt: number;
  cancelling: boolean;
  findingId?: string;
  target?: string;
}

export interface Progress {
  current: number;
  total: number;
  label: string;
}

export interface RunState {
  job: ActiveJob | null;
  gates: Record<GateId, GateRun>;
  logs: Record<GateId, LogLine[]>;
  /** Lines dropped from the front of a gate's log once it passed MAX_LOG_LINES. */
  droppedLines: Record<GateId, number>;
  logSeq: number;
  /** R4's "revision k of n". */
  progress: Progress | null;
  /** Findings reported while the current job runs. */
  liveFindings: Finding[];
  lastReport: RunReport | null;
  /**
   * The newest run that changed the database (a rebuild, restore, fix …). A diagnosis since
   * changes nothing, so results older than this run stay stale after it.
   */
  lastChange: RunMoment | null;
  /** The newest R5 that actually ran, kept across later diagnoses (parity, test results). */
  lastValidation: GateReport | null;
  /** The repository, commit and run `lastValidation` is from (null: unknown). */
  lastValidationRun: RunProvenance | null;
  runningGate: GateId | null;
}

export const MAX_LOG_LINES = 100_000;

function perGate<T>(make: (id: GateId) => T): Record<GateId, T> {
  return Object.fromEntries(GATE_IDS.map((id) => [id, make(id)])) as Record<GateId, T>;
}

export function emptyGate(id: GateId, inRun = false): GateRun {
  return { id, status: 'pending', title: GATE_TITLES[id], startedAt: null, durationMs: null, steps: [], stepIndex: 0, totalSteps: null, inRun, report: null };
}

export function initialRunState(): RunState {
  return {
    job: null,
    gates: perGate((id) => emptyGate(id)),
    logs: perGate(() => []),
    droppedLines: perGate(() => 0),
    logSeq: 0,
    progress: null,
    liveFindings: [],
    lastReport: null,
    lastChange: null,
    lastValidation: null,
    lastValidationRun: null,
    runningGate: null,
  };
}

/** A new job: every gate back to pending, logs cleared, the planned gates marked as part of the run. */
export function beginJob(state: RunState, job: ActiveJob, planned: GateId[]): RunState {
  return {
    ...state,
    job,
    gates: perGate((id) => emptyGate(id, planned.includes(id))),
    logs: perGate(() => []),
    droppedLines: perGate(() => 0),
    progress: null,
    liveFindings: [],
    runningGate: null,
  };
}

function gateFromReport(report: GateReport): GateRun {
  const counted = report.steps.length;
  return {
    id: report.id,
    status: report.status,
    title: GATE_TITLES[report.id],
    startedAt: null,
    durationMs: report.durationMs,
    steps: report.steps,
    stepIndex: counted,
    totalSteps: null,
    inRun: true,
    report,
  };
}

/** The gates and findings of a finished run (also used when the window reloads). */
export function applyReport(state: RunState, report: RunReport): RunState {
  const gates = { ...state.gates };
  const reported = new Set(report.gates.map((g) => g.id));
  for (const id of GATE_IDS) if (!reported.has(id) && !state.gates[id].inRun) gates[id] = emptyGate(id);
  for (const gate of report.gates) {
    const live = state.gates[gate.id];
    // Keep the live step counter (the gate announced its total); a report alone says [n/n].
    gates[gate.id] = {
      ...gateFromReport(gate),
      stepIndex: Math.max(live.stepIndex, gate.steps.length),
      totalSteps: live.totalSteps ?? (gate.steps.length || null),
    };
  }
  return { ...state, ...recentRunsState(rememberRun(recentRunsOf(state), report)), gates, progress: null, runningGate: null };
}

/**
 * A reloaded window: the rail shows the last run, and what the engine remembers of the runs
 * before it (the tests that last ran, the run that last changed the database) stands as it did.
 */
export function applyRecentRuns(state: RunState, recent: RecentRuns): RunState {
  const shown = recent.last ? applyReport(state, recent.last) : state;
  return { ...shown, ...recentRunsState(recent) };
}

function recentRunsOf(state: RunState): RecentRuns {
  return { last: state.lastReport, lastChange: state.lastChange, lastValidation: state.lastValidation, lastValidationRun: state.lastValidationRun };
}

function recentRunsState(recent: RecentRuns): Pick<RunState, 'lastReport' | 'lastChange' | 'lastValidation' | 'lastValidationRun'> {
  return { lastReport: recent.last, lastChange: recent.lastChange, lastValidation: recent.lastValidation, lastValidationRun: recent.lastValidationRun };
}

/**
 * The report of an operation that was not a job (a restore, which ends with E1–E3): it
 * replaces the whole rail, so the gates it did not run do not keep an earlier run's results.
 */
export function applyOperationReport(state: RunState, report: RunReport): RunState {
  return applyReport({ ...state, gates: perGate((id) => emptyGate(id)) }, report);
}

export interface Reduced {
  state: RunState;
  /** Set when the batch contained job-finished. */
  finished: RunReport | null;
}

export function reduceEvents(initial: RunState, events: JobEvent[], now: number): Reduced {
  let state = initial;
  let finished: RunReport | null = null;
  // Collected per gate and appended once per batch: 10,000 lines must not mean 10,000 copies.
  const pendingLines = new Map<GateId, LogLine[]>();
  const flushLines = () => {
    if (pendingLines.size === 0) return;
    const logs = { ...state.logs };
    const dropped = { ...state.droppedLines };
    for (const [gate, lines] of pendingLines) {
      let next = logs[gate].concat(lines);
      if (next.length > MAX_LOG_LINES) {
        dropped[gate] += next.length - MAX_LOG_LINES;
        next = next.slice(next.length - MAX_LOG_LINES);
      }
      logs[gate] = next;
    }
    pendingLines.clear();
    state = { ...state, logs, droppedLines: dropped };
  };

  for (const event of events) {
    if (!state.job) {
      // A job we did not start here (another window, or running across a reload): follow it.
      state = beginJob(state, { jobId: event.jobId, kind: null, startedAt: now, cancelling: false }, []);
    } else if (state.job.jobId === null) {
      state = { ...state, job: { ...state.job, jobId: event.jobId } };
    } else if (state.job.jobId !== event.jobId) {
      continue;
    }
    switch (event.kind) {
      case 'log-line': {
        const list = pendingLines.get(event.gate) ?? [];
        list.push({ seq: state.logSeq + 1, stream: event.stream, text: event.line });
        pendingLines.set(event.gate, list);
        state = { ...state, logSeq: state.logSeq + 1 };
        break;
      }
      case 'gate-started':
        state = {
          ...state,
          runningGate: event.gate,
          gates: {
            ...state.gates,
            [event.gate]: { ...emptyGate(event.gate, true), status: 'running', startedAt: now, totalSteps: event.totalSteps ?? null },
          },
        };
        break;
      case 'step-finished': {
        const gate = state.gates[event.gate];
        state = {
          ...state,
          gates: {
            ...state.gates,
            [event.gate]: { ...gate, inRun: true, steps: [...gate.steps, event.step], stepIndex: event.index, totalSteps: event.total ?? gate.totalSteps },
          },
        };
        break;
      }
      case 'progress':
        state = { ...state, progress: { current: event.current, total: event.total, label: event.label } };
        break;
      case 'finding':
        state = { ...state, liveFindings: [...state.liveFindings, event.finding] };
        break;
      case 'gate-finished': {
        const live = state.gates[event.gate];
        state = {
          ...state,
          runningGate: state.runningGate === event.gate ? null : state.runningGate,
          gates: {
            ...state.gates,
            // A finished gate whose engine sent no total still reads [k/n] (R4 restored from a template is [1/1]).
            [event.gate]: {
              ...gateFromReport(event.report),
              stepIndex: Math.max(live.stepIndex, event.report.steps.length),
              totalSteps: live.totalSteps ?? (event.report.steps.length || null),
            },
          },
        };
        break;
      }
      case 'job-finished':
        flushLines();
        state = { ...applyReport(state, event.report), job: null };
        finished = event.report;
        break;
    }
  }
  flushLines();
  return { state, finished };
}
