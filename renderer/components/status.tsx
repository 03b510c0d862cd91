import type { GateStatus, StepStatus } from '../../shared/report/gates';

/**
 * Every status the app shows, each with colour (CSS class), icon and words, so no
 * status is ever told by colour alone.
 */
export type AnyStatus = GateStatus | StepStatus | 'pass' | 'warn' | 'fail' | 'error' | 'info';

const LOOK: Record<AnyStatus, { icon: string; label: string; tone: string }> = {
  pending: { icon: '○', label: 'pending', tone: 'muted' },
  running: { icon: '◔', label: 'running', tone: 'accent' },
  passed: { icon: '✓', label: 'passed', tone: 'ok' },
  failed: { icon: '✕', label: 'failed', tone: 'bad' },
  skipped: { icon: '↷', label: 'skipped', tone: 'muted' },
  blocked: { icon: '⊘', label: 'blocked', tone: 'warn' },
  already: { icon: '✓', label: 'already done', tone: 'ok' },
  warning: { icon: '⚠', label: 'warning', tone: 'warn' },
  pass: { icon: '✓', label: 'parity', tone: 'ok' },
  warn: { icon: '⚠', label: 'check', tone: 'warn' },
  fail: { icon: '✕', label: 'differs', tone: 'bad' },
  error: { icon: '✕', label: 'error', tone: 'bad' },
  info: { icon: 'i', label: 'info', tone: 'accent' },
};

export function statusLook(status: AnyStatus) {
  return LOOK[status];
}

export function StatusIcon({ status }: { status: AnyStatus }) {
  const look = LOOK[status];
  return (
    <span className={`status-icon tone-${look.tone}${status === 'running' ? ' spin' : ''}`} aria-hidden="true">
      {look.icon}
    </span>
  );
}

/** Icon and word, e.g. "✓ passed". */
export function StatusBadge({ status, label }: { status: AnyStatus; label?: string }) {
  const look = LOOK[status];
  return (
    <span className={`status-badge tone-${look.tone}`} data-status={status}>
      <StatusIcon status={status} />
      <span>{label ?? look.label}</span>
    </span>
  );
}
