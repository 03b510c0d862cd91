import type { GateReport } from '../../../shared/report/report';

/**
 * R5's results as the view needs them, read defensively from `details.suites` (the
 * report crosses a process boundary as JSON, so every field is checked).
 */
export type CaseStatus = 'passed' | 'failed' | 'error' | 'skipped';

export interface TestCaseView {
  name: string;
  classname: string;
  status: CaseStatus;
  durationMs: number;
  message?: string;
  text?: string;
}

export interface SuiteView {
  suite: string;
  outcome: string;
  detail: string;
  passed: number;
  failed: number;
  errors: number;
  skipped: number;
  durationMs: number;
  cases: TestCaseView[];
  outputTail: string[];
}

const STATUSES: readonly CaseStatus[] = ['passed', 'failed', 'error', 'skipped'];

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function toCase(raw: unknown): TestCaseView | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  const status = STATUSES.includes(r.status as CaseStatus) ? (r.status as CaseStatus) : 'error';
  return {
    name: str(r.name) || '(unnamed test)',
    classname: str(r.classname),
    status,
    durationMs: num(r.durationMs),
    ...(typeof r.message === 'string' ? { message: r.message } : {}),
    ...(typeof r.text === 'string' ? { text: r.text } : {}),
  };
}

export function suiteResults(gate: GateReport | null): SuiteView[] {
  const suites = gate?.details?.suites;
  if (!Array.isArray(suites)) return [];
  return suites.flatMap((raw: unknown) => {
    if (typeof raw !== 'object' || raw === null) return [];
    const r = raw as Record<string, unknown>;
    const cases = Array.isArray(r.cases) ? r.cases.map(toCase).filter((c): c is TestCaseView => c !== null) : [];
    return [
      {
        suite: str(r.suite),
        outcome: str(r.outcome),
        detail: str(r.detail),
        passed: num(r.passed),
        failed: num(r.failed),
        errors: num(r.errors),
        skipped: num(r.skipped),
        durationMs: num(r.durationMs),
        cases,
        outputTail: Array.isArray(r.outputTail) ? r.outputTail.filter((l): l is string => typeof l === 'string') : [],
      },
    ];
  });
}
