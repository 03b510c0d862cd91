import { isBlocking, type PrerequisiteReport } from '../../../../shared/prerequisites/prerequisites';
import type { Finding } from '../../../../shared/report/report';
import { makeFinding } from '../findings/make-finding';

/**
 * What E1's prerequisite lines add up to, as one finding: an interpreter without alembic,
 * sqlalchemy, pytest and a dozen of the suites' packages is one problem with one cure, not
 * a dozen red cards. Each blocking line keeps its own command; warnings (packages nothing
 * of the rebuild imports) are left out, as they block nothing.
 */
export function prerequisiteFindings(report: PrerequisiteReport | null): Finding[] {
  const failed = (report?.checks ?? []).filter(isBlocking);
  if (failed.length === 0) return [];
  const lines = failed.map((check) => `${check.title}: ${check.detail}${check.fix ? ` \u2192 ${check.fix}` : ''}`);
  const finding = makeFinding('PYTHON-PREREQUISITES-MISSING', lines.join('\n'));
  // Choosing another interpreter (the project's virtual environment) is the way out when no install command is given.
  return [failed.some((check) => check.action === 'choose-python') ? { ...finding, action: 'choose-python' } : finding];
}
