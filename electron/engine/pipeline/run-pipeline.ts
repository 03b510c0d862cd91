import type { ConnectionSettings } from '../../../shared/contract/connection';
import type { EmitEvent } from '../../../shared/contract/events';
import type { Profile } from '../../../shared/profile/schema';
import { GATE_IDS, type GateId } from '../../../shared/report/gates';
import type { GateReport, RunReport } from '../../../shared/report/report';
import { bootstrap, type BootstrapOptions } from '../bootstrap/bootstrap';
import { diagnose } from '../diagnosis/diagnose';
import { notRunGate } from './gate-recorder';

/**
 * The one pipeline behind every front: diagnose is E1, bootstrap is E1→E2→E3,
 * rebuild runs every gate. It stops at the first failed gate; later gates are
 * reported as blocked so every report lists the same six gates in order.
 */
export interface PipelineRequest {
  command: string;
  gates: GateId[];
  settings: ConnectionSettings;
  profile: Profile;
  bootstrap?: Omit<BootstrapOptions, 'beforeDrop'>;
}

export async function runPipeline(request: PipelineRequest, emit: EmitEvent): Promise<RunReport> {
  const startedAt = new Date().toISOString();
  const { settings, profile } = request;
  const gates: GateReport[] = [];
  const wants = (gate: GateId) => request.gates.includes(gate);
  let stopped = false;
  const block = (gate: GateId, reason: string) => {
    if (wants(gate)) gates.push(notRunGate(gate, 'blocked', emit, reason));
  };

  const e1 = await diagnose(settings, profile, emit);
  if (wants('E1')) gates.push(e1.gate);
  const server = e1.state.server;
  if (e1.gate.status === 'failed') stopped = true;

  if (!stopped && (wants('E2') || wants('E3'))) {
    const result = await bootstrap(settings, profile, request.bootstrap ?? { dropExisting: false, confirmed: false, allowRemote: false }, emit);
    gates.push(...result.gates);
    if (!result.ok) stopped = true;
  } else if (stopped) {
    block('E2', 'E1 could not reach the server');
    block('E3', 'E1 could not reach the server');
  }
  for (const gate of GATE_IDS.slice(3)) if (wants(gate)) block(gate, stopped ? 'an earlier gate failed' : 'not implemented in this front yet');

  // After changes, the report's database section shows the state they left.
  // Findings describe the state the run ends in, not the one it started from.
  const changed = gates.some((gate) => gate.id !== 'E1' && gate.status === 'passed');
  const final = changed ? await diagnose(settings, profile, () => undefined) : e1;
  const report: RunReport = {
    command: request.command,
    startedAt,
    server,
    gates,
    findings: final.findings,
    database: final.state.database,
  };
  emit({ kind: 'job-finished', report });
  return report;
}
