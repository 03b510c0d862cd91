import type { ReactNode } from 'react';

/** A labelled input with its hint and error wired up for screen readers. */
export interface TextFieldProps {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  type?: 'text' | 'password' | 'number';
  placeholder?: string;
  hint?: ReactNode;
  error?: string;
  disabled?: boolean;
  mono?: boolean;
  autoComplete?: string;
  wide?: boolean;
  /** A control beside the input (the folder dialog's button). */
  action?: ReactNode;
  /** More elements that describe the input (a live check below it). */
  describedBy?: string;
}

export function TextField({
  id,
  label,
  value,
  onChange,
  type = 'text',
  placeholder,
  hint,
  error,
  disabled,
  mono,
  autoComplete = 'off',
  wide,
  action,
  describedBy: more,
}: TextFieldProps) {
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : '', more ?? ''].filter(Boolean).join(' ') || undefined;
  const input = (
    <input
      id={id}
      type={type}
      value={value}
      placeholder={placeholder}
      onChange={(event) => onChange(event.target.value)}
      disabled={disabled}
      className={mono ? 'mono' : undefined}
      aria-invalid={error ? true : undefined}
      aria-describedby={describedBy}
      autoComplete={autoComplete}
      spellCheck={false}
    />
  );
  return (
    <div className={`field${wide ? ' wide' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {action ? (
        <div className="field-row">
          {input}
          {action}
        </div>
      ) : (
        input
      )}
      {hint ? (
        <div id={`${id}-hint`} className="field-hint">
          {hint}
        </div>
      ) : null}
      {error ? (
        <div id={`${id}-error`} className="field-error">
          {error}
        </div>
      ) : null}
    </div>
  );
}
