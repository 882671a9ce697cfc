import type { JSX, ReactNode } from 'react';

export interface FieldRowProps {
  id: string;
  label: string;
  required?: boolean;
  description?: string;
  error?: string;
  /** the control sits before its label (checkboxes) */
  inline?: boolean;
  /** the label is read by screen readers only */
  compact?: boolean;
  children: ReactNode;
  /** extra lines under the control (secret hints, chips) */
  extra?: ReactNode;
}

/** One labelled field: label (the control's accessible name), control, error, help text. */
export function FieldRow({ id, label, required, description, error, inline, compact, children, extra }: FieldRowProps): JSX.Element {
  const labelEl = (
    <label htmlFor={id} className={compact ? 'sf-sr-only' : 'sf-label'}>
      {label}
    </label>
  );
  const marker = required && !compact ? (
    <span className="sf-required" aria-hidden="true" title="required">
      *
    </span>
  ) : null;
  return (
    <div className={`sf-row${error ? ' sf-invalid' : ''}${inline ? ' sf-inline' : ''}${compact ? ' sf-compact' : ''}`}>
      {inline ? (
        <div className="sf-inline-line">
          {children}
          {labelEl}
          {marker}
        </div>
      ) : (
        <>
          {!compact && (
            <div className="sf-label-line">
              {labelEl}
              {marker}
            </div>
          )}
          {compact && labelEl}
          {children}
        </>
      )}
      {error && (
        <div id={`${id}-error`} className="sf-error">
          {error}
        </div>
      )}
      {extra}
      {description && !compact && (
        <div id={`${id}-help`} className="sf-help">
          {description}
        </div>
      )}
    </div>
  );
}
