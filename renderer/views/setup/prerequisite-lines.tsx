import type { PrerequisiteCheck } from '../../../shared/prerequisites/prerequisites';
import { appWording, isProse } from '../../components/app-wording';
import { CodeBlock } from '../../components/code-block';
import { StatusIcon } from '../../components/status';

/** `flutter doctor` lines: ✓/✗, what was found, and the exact fix for a ✗. */
export function PrerequisiteLines({ checks }: { checks: PrerequisiteCheck[] }) {
  return (
    <ul className="doctor-lines">
      {checks.map((check) => (
        <li key={check.id} className={check.ok ? 'ok' : 'bad'} data-testid={`check-${check.id}`} data-ok={check.ok}>
          <div className="doctor-head">
            <StatusIcon status={check.ok ? 'passed' : 'failed'} />
            <span className="doctor-title">{check.title}</span>
            <span className="sr-only">{check.ok ? 'ok' : 'problem'}</span>
          </div>
          <div className="doctor-detail">{appWording(check.detail)}</div>
          {!check.ok && check.fix ? (
            isProse(check.fix) ? (
              <p className="doctor-fix">{appWording(check.fix)}</p>
            ) : (
              <CodeBlock code={check.fix} label={`Fix for ${check.title}`} />
            )
          ) : null}
        </li>
      ))}
    </ul>
  );
}
