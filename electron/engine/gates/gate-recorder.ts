import type { EmitEvent } from '../../../shared/contract/events';
import type { AppError } from '../../../shared/errors/app-error';
import { GATE_TITLES, type GateId, type GateStatus } from '../../../shared/report/gates';
import type { GateReport, StepReport } from '../../../shared/report/report';

/**
 * Times a gate and its steps, emits gate-started / step-finished / gate-finished,
 * and assembles the GateReport. Every gate uses it, so the CLI and the app see the
 * same step counters ("[3/7]": the k-th of this gate's n steps) and durations.
 */
export class GateRecorder {
  private readonly started = Date.now();
  private readonly steps: StepReport[] = [];
  private details: Record<string, unknown> = {};

  constructor(
    readonly gate: GateId,
    private readonly emit: EmitEvent,
    private totalSteps?: number,
  ) {
    emit({ kind: 'gate-started', gate, title: GATE_TITLES[gate], totalSteps });
  }

  /** Runs one step, timing it; `work` returns the step's outcome. */
  async step(id: string, title: string, work: () => Promise<Omit<StepReport, 'id' | 'title' | 'durationMs'>>): Promise<StepReport> {
    const started = Date.now();
    const outcome = await work();
    return this.record({ id, title, ...outcome, durationMs: Date.now() - started });
  }

  /** A step whose work also returns what it did beyond its report (a snapshot's name, say). */
  async stepWith<T>(
    id: string,
    title: string,
    work: () => Promise<{ outcome: Omit<StepReport, 'id' | 'title' | 'durationMs'>; did: T }>,
  ): Promise<{ step: StepReport; did: T }> {
    const started = Date.now();
    const { outcome, did } = await work();
    return { step: this.record({ id, title, ...outcome, durationMs: Date.now() - started }), did };
  }

  record(step: StepReport): StepReport {
    this.steps.push(step);
    this.emit({
      kind: 'step-finished',
      gate: this.gate,
      step,
      index: this.steps.length,
      total: this.totalSteps,
    });
    return step;
  }

  /** For a gate that learns its step count only after it started (E1): the steps recorded from now on read "[k/n]". */
  expectSteps(total: number): void {
    this.totalSteps = total;
  }

  log(line: string, stream: 'stdout' | 'stderr' | 'info' = 'info'): void {
    this.emit({ kind: 'log-line', gate: this.gate, stream, line });
  }

  addDetails(details: Record<string, unknown>): void {
    this.details = { ...this.details, ...details };
  }

  get stepCount(): number {
    return this.steps.length;
  }

  get failed(): boolean {
    return this.steps.some((step) => step.status === 'failed');
  }

  finish(status?: GateStatus, error?: AppError): GateReport {
    const report: GateReport = {
      id: this.gate,
      status: status ?? (this.failed || error ? 'failed' : 'passed'),
      durationMs: Date.now() - this.started,
      steps: this.steps,
      ...(Object.keys(this.details).length ? { details: this.details } : {}),
      ...(error ? { error } : {}),
    };
    this.emit({ kind: 'gate-finished', gate: this.gate, report });
    return report;
  }
}

/** A gate that did not run because an earlier one failed or the user skipped it. */
export function notRunGate(gate: GateId, status: 'skipped' | 'blocked', emit: EmitEvent, reason: string): GateReport {
  const report: GateReport = {
    id: gate,
    status,
    durationMs: 0,
    steps: [{ id: status, title: GATE_TITLES[gate], status: 'skipped', detail: reason }],
  };
  emit({ kind: 'gate-finished', gate, report });
  return report;
}
