import { AppHowTo } from './app-how-to';
import type { ReactNode } from 'react';
import type { AppError } from '../../shared/errors/app-error';

/** The three states every view has besides its content: empty, loading, error. */
export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="empty-state" role="status">
      <h2>{title}</h2>
      {children ? <div className="empty-body">{children}</div> : null}
      {action ? <div className="empty-action">{action}</div> : null}
    </div>
  );
}

export function Spinner({ label }: { label?: string }) {
  return (
    <span className="spinner-wrap" role="status">
      <span className="spinner" aria-hidden="true" />
      {label ? <span>{label}</span> : <span className="sr-only">Loading</span>}
    </span>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="loading-state">
      <Spinner label={label} />
    </div>
  );
}

/** An AppError as the user should read it: what happened, the evidence, what to do. */
export function ErrorBox({ error, title, onDismiss }: { error: AppError; title?: string; onDismiss?: () => void }) {
  return (
    <div className="error-box" role="alert">
      <div className="error-head">
        <strong>{title ?? error.message}</strong>
        {onDismiss ? (
          <button type="button" className="ghost small" onClick={onDismiss} aria-label="Dismiss">
            {'✕'}
          </button>
        ) : null}
      </div>
      {title ? <p>{error.message}</p> : null}
      {error.detail ? <pre className="error-detail">{error.detail}</pre> : null}
      {error.remediation ? (
        <p className="remediation">
          <span className="remediation-label">What to do: </span>
          {error.remediation}
        </p>
      ) : null}
      <AppHowTo action={error.action} />
      <p className="error-code">code: {error.code}</p>
    </div>
  );
}
