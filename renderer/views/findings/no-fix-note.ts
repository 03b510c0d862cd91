import type { Finding } from '../../../shared/report/report';

/**
 * What a finding without a fix button says in its place. A disabled button there read as a broken
 * control, and "follow the explanation" made no sense under a finding that asks nothing.
 */
export function noFixNote(finding: Pick<Finding, 'severity' | 'action'>): string {
  if (finding.severity === 'info') return 'For your information: nothing here needs fixing.';
  return finding.action ? 'No automatic fix: do what the line above says.' : 'No automatic fix: the explanation above says what to do.';
}
