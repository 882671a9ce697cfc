import type { JSX } from 'react';
import { badVariableMessages, errorHint, formatMs } from './run-model.js';

export interface RunError {
  code: string;
  message: string;
  path?: string;
  details?: unknown;
}

/** A failed execution: the code, the message, where, and what to check. */
export function ErrorPanel({ error, ms }: { error: RunError; ms?: number }): JSX.Element {
  const hint = errorHint(error.code);
  const variables = error.code === 'BAD_VARIABLE' ? Object.entries(badVariableMessages(error.details)) : [];
  return (
    <div className={`rp-error-panel${error.code === 'CANCELLED' ? ' rp-cancelled' : ''}`} role="alert">
      <div className="rp-error-head">
        <span className="rp-error-code">{error.code}</span>
        {ms !== undefined && <span className="rp-muted">after {formatMs(ms)}</span>}
      </div>
      <p className="rp-error-message">{error.message}</p>
      {error.path && (
        <p className="rp-muted">
          at <code>{error.path}</code>
        </p>
      )}
      {variables.length > 0 && (
        <ul className="rp-error-list">
          {variables.map(([name, message]) => (
            <li key={name}>
              <code>{name}</code>: {message}
            </li>
          ))}
        </ul>
      )}
      {hint && <p className="rp-hint">{hint}</p>}
    </div>
  );
}
