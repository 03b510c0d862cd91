import type { PrerequisiteCheck } from '../../../shared/prerequisites/prerequisites';
import { CodeBlock } from '../../components/code-block';
import { StatusIcon } from '../../components/status';

/**
 * `flutter doctor` lines: ✓/✗, what was found, and the exact fix for a ✗. A warning (a
 * requirement nothing of the rebuild imports) shows ⚠ with its fix: it blocks nothing.
 */
export function PrerequisiteLines({ checks }: { checks: PrerequisiteCheck[] }) {
  return (
    <ul className="doctor-lines">
      {checks.map((check) => (
        <li
          key={check.id}
          className={check.ok ? 'ok' : check.level === 'warning' ? 'warn' : 'bad'}
          data-testid={`check-${check.id}`}
          data-ok={check.ok}
          data-level={check.ok ? 'ok' : (check.level ?? 'error')}
        >
          <div className="doctor-head">
            <StatusIcon status={check.ok ? 'passed' : check.level === 'warning' ? 'warning' : 'failed'} />
            <span className="doctor-title">{check.title}</span>
            <span className="sr-only">{check.ok ? 'ok' : check.level === 'warning' ? 'warning' : 'problem'}</span>
            {!check.ok && check.neededBy === 'tests' ? <span className="muted small"> (blocks the validation tests)</span> : null}
          </div>
          <div className="doctor-detail">{check.detail}</div>
          {!check.ok && check.fix ? <CodeBlock code={check.fix} label={`Fix for ${check.title}`} /> : null}
        </li>
      ))}
    </ul>
  );
}
