import type { PrerequisiteCheck } from '../../../shared/prerequisites/prerequisites';
import { AppHowTo } from '../../components/app-how-to';
import { isProse } from '../../components/app-wording';
import { CodeBlock } from '../../components/code-block';
import { InlineCode } from '../../components/inline-code';
import { StatusIcon } from '../../components/status';
import { checkLook } from './check-look';

/**
 * `flutter doctor` lines: ✓/✗, what was found, and the exact fix for a ✗. A warning (a
 * requirement nothing of the rebuild imports) shows ⚠ with its fix: it blocks nothing.
 */
export function PrerequisiteLines({ checks }: { checks: PrerequisiteCheck[] }) {
  return (
    <ul className="doctor-lines">
      {checks.map((check) => {
        const look = checkLook(check);
        return (
          <li key={check.id} className={look.tone} data-testid={`check-${check.id}`} data-ok={check.ok} data-level={look.level}>
            <div className="doctor-head">
              <StatusIcon status={look.status} />
              <span className="doctor-title">{check.title}</span>
              <span className="sr-only">{look.words}</span>
              {look.note ? <span className="muted small">{look.note}</span> : null}
            </div>
            <div className="doctor-detail">{check.detail}</div>
            {look.fix ? (
              isProse(look.fix) ? (
                <p className="doctor-fix">
                  <InlineCode text={look.fix} />
                </p>
              ) : (
                <CodeBlock code={look.fix} label={`Fix for ${check.title}`} />
              )
            ) : null}
            {look.fix ? <AppHowTo action={check.action} /> : null}
          </li>
        );
      })}
    </ul>
  );
}
