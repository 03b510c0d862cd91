/** The guide's gates, in the order the pipeline runs them. */
export const GATE_IDS = ['E1', 'E2', 'E3', 'R4', 'VERIFY', 'R5'] as const;
export type GateId = (typeof GATE_IDS)[number];

export const GATE_TITLES: Record<GateId, string> = {
  E1: 'Diagnosis',
  E2: 'Roles',
  E3: 'Database, grants and settings',
  R4: 'Migrations',
  VERIFY: 'Schema checks',
  R5: 'Validation tests',
};

export type GateStatus = 'pending' | 'running' | 'passed' | 'failed' | 'skipped' | 'blocked';
export type StepStatus = 'passed' | 'failed' | 'skipped' | 'already' | 'warning';
