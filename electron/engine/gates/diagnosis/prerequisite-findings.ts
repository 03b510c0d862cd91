import { isBlocking, type PrerequisiteReport } from '../../../../shared/prerequisites/prerequisites';
import type { Finding } from '../../../../shared/report/report';
import { makeFinding } from '../findings/make-finding';

/**
 * What E1's prerequisite lines add up to, as one finding: an interpreter without alembic,
 * sqlalchemy, pytest and a dozen of the suites' packages is one problem with one cure, not
 * a dozen red cards. Each blocking line keeps its command (said once for lines that share it); warnings (packages nothing
 * of the rebuild imports) are left out, as they block nothing.
 */
export function prerequisiteFindings(report: PrerequisiteReport | null): Finding[] {
  const failed = (report?.checks ?? []).filter(isBlocking);
  if (failed.length === 0) return [];
  // Lines that share one command (the packages one pip install brings) stand together and say it once, after the last of them.
  const groups = new Map<string, typeof failed>();
  for (const check of failed) {
    const key = check.fix ?? `\0${check.id}`; // a line without a command stands alone
    groups.set(key, [...(groups.get(key) ?? []), check]);
  }
  const lines = [...groups.values()].flatMap((group) =>
    group.map((check, at) => `${check.title}: ${check.detail}${check.fix && at === group.length - 1 ? ` \u2192 ${check.fix}` : ''}`),
  );
  const finding = makeFinding('PYTHON-PREREQUISITES-MISSING', lines.join('\n'));
  // Choosing another interpreter (the project's virtual environment) is the way out when no install command is given.
  return [failed.some((check) => check.action === 'choose-python') ? { ...finding, action: 'choose-python' } : finding];
}
