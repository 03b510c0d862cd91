import type { GateId } from '../report/gates';
import type { Finding, GateReport, RunReport, StepReport } from '../report/report';

/**
 * Progress of a long job, one union keyed on `kind`. The engine emits these; the
 * app's store, the CLI's terminal printer and the JSON report all consume the same
 * stream, so no front computes progress on its own.
 */
export type EngineEvent =
  | { kind: 'gate-started'; gate: GateId; title: string; totalSteps?: number }
  | { kind: 'step-finished'; gate: GateId; step: StepReport; index: number; total?: number }
  | { kind: 'log-line'; gate: GateId; stream: 'stdout' | 'stderr' | 'info'; line: string }
  | { kind: 'progress'; gate: GateId; current: number; total: number; label: string }
  | { kind: 'finding'; finding: Finding }
  | { kind: 'gate-finished'; gate: GateId; report: GateReport }
  | { kind: 'job-finished'; report: RunReport };

export type JobEvent = EngineEvent & { jobId: string };

export type EmitEvent = (event: EngineEvent) => void;
