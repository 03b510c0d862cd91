import { describe, expect, it } from 'vitest';
import { prerequisiteFindings } from '../../../../electron/engine/gates/diagnosis/prerequisite-findings';
import type { PrerequisiteCheck, PrerequisiteReport } from '../../../../shared/prerequisites/prerequisites';
import type { GateReport } from '../../../../shared/report/report';
import { withStepFindings } from '../../../../shared/report/step-findings';

const check = (id: string, over: Partial<PrerequisiteCheck> = {}): PrerequisiteCheck => ({
  id,
  title: `${id} importable`,
  ok: false,
  detail: `${id} is not installed`,
  ...over,
});
const report = (checks: PrerequisiteCheck[]): PrerequisiteReport => ({ python: null, checks, ok: false });

describe('the interpreter\u2019s missing prerequisites, as one finding', () => {
  it('one line per blocking check with its command; warnings and passed checks are left out', () => {
    const [finding, ...rest] = prerequisiteFindings(
      report([
        check('alembic', { fix: 'py -m pip install alembic' }),
        check('celery', { neededBy: 'tests', fix: 'py -m pip install "celery>=5.3.6"' }),
        check('schemathesis', { level: 'warning' }),
        check('pytest', { ok: true }),
      ]),
    );
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ id: 'PYTHON-PREREQUISITES-MISSING', severity: 'error', remediation: null });
    expect(finding.evidence).toBe(
      'alembic importable: alembic is not installed \u2192 py -m pip install alembic\ncelery importable: celery is not installed \u2192 py -m pip install "celery>=5.3.6"',
    );
    expect(finding.action).toBeUndefined();
  });

  it('lines that share one command stand together and say it once, after the last of them', () => {
    const pip = '"/usr/bin/python3" -m pip install alembic sqlalchemy pytest';
    const [finding] = prerequisiteFindings(
      report([
        check('alembic', { fix: pip }),
        check('sqlalchemy', { fix: pip }),
        check('celery', { fix: 'pip install celery' }),
        check('pytest', { fix: pip }),
      ]),
    );
    expect(finding.evidence.split('\n')).toEqual([
      'alembic importable: alembic is not installed',
      'sqlalchemy importable: sqlalchemy is not installed',
      `pytest importable: pytest is not installed \u2192 ${pip}`,
      'celery importable: celery is not installed \u2192 pip install celery',
    ]);
  });

  it('no interpreter at all: the finding asks to choose one; nothing failed: no finding', () => {
    const [finding] = prerequisiteFindings(report([check('python', { title: 'Python interpreter', detail: 'not found', action: 'choose-python' })]));
    expect(finding.action).toBe('choose-python');
    expect(prerequisiteFindings(report([check('pytest', { ok: true }), check('tool', { level: 'warning' })]))).toEqual([]);
    expect(prerequisiteFindings(null)).toEqual([]);
  });

  it('explains every red prerequisite line of E1, R4\u2019s and R5\u2019s interpreter steps: no generic card for each', () => {
    const step = (id: string) => ({ id, title: id, status: 'failed' as const, detail: 'missing', durationMs: 0 });
    const gates: GateReport[] = [
      { id: 'E1', status: 'passed', durationMs: 1, steps: [step('prerequisite-alembic'), step('prerequisite-requirement-celery'), step('tables')] },
      { id: 'R4', status: 'failed', durationMs: 1, steps: [step('prerequisites')] },
      { id: 'R5', status: 'failed', durationMs: 1, steps: [step('interpreter')] },
    ];
    const findings = withStepFindings(gates, prerequisiteFindings(report([check('alembic'), check('celery')])));
    expect(findings.map((f) => `${f.id} ${f.source?.step ?? ''}`)).toEqual(['PYTHON-PREREQUISITES-MISSING ', 'STEP-FAILED tables']);
  });
});
