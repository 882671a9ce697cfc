import { useState } from 'react';
import type { JSX } from 'react';
import { describedBy, fieldId, useFormContext } from './context.js';
import type { FieldProps } from './context.js';
import { FieldRow } from './FieldRow.js';
import type { StringModel } from './schema.js';
import { envReferences } from './secrets.js';
import { pickError, validateValue } from './validate.js';

/**
 * A secret: masked (••••) with a reveal toggle. Its `${env:NAME}` references stay visible next to it;
 * a literal value gets a warning, since secrets belong in the environment or .env, never in the project.
 */
export function SecretField({ model, value, path, onChange, compact }: FieldProps<StringModel>): JSX.Element {
  const ctx = useFormContext();
  const [revealed, setRevealed] = useState(false);
  const id = fieldId(ctx.idPrefix, path);
  const text = typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
  const error = pickError(ctx.errorAt(path, value), validateValue(model, value), value);
  const refs = envReferences(text);
  const literal = text !== '' && refs.length === 0;
  const extra = (
    <div className="sf-secret-notes">
      {refs.length > 0 && (
        <div className="sf-envref">
          <span aria-hidden="true">🔒</span> from the environment: {refs.map((r) => <code key={r}>{`\${env:${r}}`}</code>)}
        </div>
      )}
      {literal && <div className="sf-warning">This value would be saved in the project in clear text.</div>}
      <div className="sf-hint">
        Secrets belong in the environment or the project's <code>.env</code>, never in the project: write <code>{'${env:NAME}'}</code> here.
      </div>
    </div>
  );
  return (
    <FieldRow id={id} label={model.label} required={model.required} description={model.description} error={error} compact={compact} extra={extra}>
      <div className="sf-secret">
        <input
          id={id}
          type={revealed ? 'text' : 'password'}
          className="sf-input"
          value={text}
          placeholder="${env:NAME}"
          autoComplete="new-password"
          spellCheck={false}
          disabled={ctx.disabled || model.readOnly}
          aria-invalid={error ? true : undefined}
          aria-required={model.required || undefined}
          aria-describedby={describedBy(id, error, model.description && !compact)}
          onChange={(e) => onChange(e.target.value === '' && !model.required ? undefined : e.target.value)}
        />
        <button
          type="button"
          className="sf-button sf-reveal"
          aria-pressed={revealed}
          aria-controls={id}
          title={revealed ? 'Hide the value' : 'Show the value'}
          onClick={() => setRevealed((r) => !r)}
        >
          {revealed ? 'Hide' : 'Show'}
        </button>
      </div>
    </FieldRow>
  );
}
