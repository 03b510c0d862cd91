import type { EngineEvent } from '../../shared/contract/events';
import type { AppError } from '../../shared/errors/app-error';
import type { Finding } from '../../shared/report/report';
import { GATE_TITLES } from '../../shared/report/gates';
import type { StepStatus } from '../../shared/report/gates';
import { withCliHowTo } from './cli-how-to';
import { formatMs, type LiveProgress } from './progress-line';

/**
 * Human progress on stderr, from the same events the app renders. Plain ASCII marks
 * on legacy Windows consoles, which cannot show ✓ in their code page.
 */
const UNICODE = process.platform !== 'win32' || Boolean(process.env.WT_SESSION) || process.env.TERM_PROGRAM === 'vscode';
const MARK: Record<StepStatus, string> = UNICODE
  ? { passed: '\u2713', failed: '\u2717', skipped: '-', already: '=', warning: '!' }
  : { passed: 'OK', failed: 'XX', skipped: '--', already: '==', warning: '!!' };
const ARROW = UNICODE ? '\u2192' : '->';

/** A detail that runs over several lines (an interpreter's own error under ours) keeps its lines under the step they belong to. */
function indented(text: string): string {
  return text.replace(/\r?\n/g, '\n      ');
}

export function createTerminalPrinter(
  write: (text: string) => void = (t) => process.stderr.write(t),
  live: LiveProgress | null = null,
): (event: EngineEvent) => void {
  const plain = plainPrinter(write);
  if (!live) return plain;
  return (event) => {
    if (live.show(event)) return;
    plain(event);
    live.after(event);
  };
}

/** The command that fixes a finding, after an arrow the console can show; empty when it has no fix. */
export function fixHint(finding: Pick<Finding, 'id' | 'remediation'>): string {
  return finding.remediation ? ` ${ARROW} fix: skeldir-rebuild fix ${finding.id}` : '';
}

/** One finding as a line: its id, severity, title and evidence, and the fix command when it has one. */
function findingLine(finding: Finding): string {
  return `  finding ${finding.id} [${finding.severity}] ${finding.title}: ${indented(withCliHowTo(finding.evidence, finding.action, finding.actionTarget))}${fixHint(finding)}\n`;
}

function plainPrinter(write: (text: string) => void): (event: EngineEvent) => void {
  // The report's findings that were never events (a failed step no finding explained, what the
  // diagnosis at the end of a run found) are printed at its end, so the terminal lists what the app's Findings lists.
  const printed = new Set<string>();
  const keyOf = (finding: Finding) => `${finding.id}\0${finding.evidence}`;
  return (event) => {
    switch (event.kind) {
      case 'gate-started':
        write(`\n${event.gate} ${event.title}\n`);
        break;
      case 'step-finished': {
        const counter = event.total ? `[${event.index}/${event.total}] ` : '';
        write(
          `  ${counter}${MARK[event.step.status]} ${event.step.title}: ${indented(withCliHowTo(event.step.detail, event.step.action, event.step.actionTarget))}\n`,
        );
        break;
      }
      case 'progress':
        write(`  (${event.current}/${event.total}) ${event.label}\n`);
        break;
      case 'log-line':
        if (event.stream !== 'info') write(`    | ${event.line}\n`);
        break;
      case 'finding':
        printed.add(keyOf(event.finding));
        write(findingLine(event.finding));
        break;
      case 'gate-finished':
        if (event.report.status === 'blocked' || event.report.status === 'skipped') {
          write(`\n${event.gate} ${GATE_TITLES[event.gate]}: ${event.report.status} \u2014 ${event.report.steps[0]?.detail ?? ''}\n`);
        } else {
          // A diagnosis passes when it could read everything: the ✗ lines above it are still said as problems, as the app's gate card says them.
          const problems = event.report.status === 'passed' ? event.report.steps.filter((step) => step.status === 'failed').length : 0;
          const found = problems > 0 ? ` \u00b7 ${problems} problem${problems === 1 ? '' : 's'} found` : '';
          write(`  ${event.gate} ${event.report.status} in ${formatMs(event.report.durationMs)}${found}\n`);
        }
        break;
      case 'job-finished': {
        const unsaid = event.report.findings.filter((finding) => !printed.has(keyOf(finding)));
        if (unsaid.length > 0) write(`\nFindings at the end of the run\n${unsaid.map(findingLine).join('')}`);
        break;
      }
    }
  };
}

export function formatError(error: AppError): string {
  return [
    `error: ${error.message}`,
    error.detail ? `  ${error.detail.replace(/\n/g, '\n  ')}` : '',
    error.remediation ? `  what to do: ${withCliHowTo(error.remediation, error.action, error.actionTarget)}` : '',
  ]
    .filter(Boolean)
    .join('\n');
}
