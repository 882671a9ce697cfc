import { useState } from 'react';
import type { FormEvent, JSX } from 'react';
import type { Variable } from '../../../src/model/index.js';
import type { VariableValue, VariableValues } from './run-model.js';
import { checkValue, placeholderOf, splitMultivalued } from './run-model.js';

export interface VariablesFormProps {
  variables: readonly Variable[];
  values: VariableValues;
  /** BAD_VARIABLE messages from the last run, by variable name */
  errors: Record<string, string>;
  onChange(name: string, value: VariableValue | undefined): void;
  onExecute(): void;
  onStop(): void;
  running: boolean;
  canExecute: boolean;
  /** why Execute is disabled */
  disabledReason?: string;
  /** what runs: a transaction (default) or a sequence */
  subject?: string;
}

function inputId(name: string): string {
  return `rp-var-${name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

function enumText(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The values a run uses: one labelled, type-aware field per variable, Execute and Stop. */
export function VariablesForm({ variables, values, errors, onChange, onExecute, onStop, running, canExecute, disabledReason, subject = 'transaction' }: VariablesFormProps): JSX.Element {
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!running && canExecute) onExecute();
  };
  return (
    <form className="rp-vars" aria-label="Variables" onSubmit={submit} noValidate>
      <div className="rp-vars-header">
        <h3 className="rp-title">Variables</h3>
        <div className="rp-actions">
          <button type="submit" className="rp-button rp-execute" disabled={running || !canExecute} title={disabledReason ?? 'Execute (F5)'}>
            <span aria-hidden="true">▶</span> Execute
          </button>
          <button type="button" className="rp-button rp-stop" disabled={!running} onClick={onStop} title="Stop (Shift+F5)">
            <span aria-hidden="true">■</span> Stop
          </button>
        </div>
      </div>
      {disabledReason && <p className="rp-note">{disabledReason}</p>}
      {variables.length === 0 && canExecute && <p className="rp-note">This {subject} has no variables: press F5 to execute it.</p>}
      <div className="rp-vars-list">
        {variables.map((v) => (
          <VariableField key={v.name} variable={v} value={values[v.name]} engineError={errors[v.name]} onChange={(value) => onChange(v.name, value)} />
        ))}
      </div>
    </form>
  );
}

interface VariableFieldProps {
  variable: Variable;
  value: VariableValue | undefined;
  engineError?: string;
  onChange(value: VariableValue | undefined): void;
}

function VariableField({ variable: v, value, engineError, onChange }: VariableFieldProps): JSX.Element {
  const id = inputId(v.name);
  const [revealed, setRevealed] = useState(false);
  const text = typeof value === 'string' ? value : '';
  const local = value !== undefined && value !== '' ? checkValue(v, value) : undefined;
  const error = engineError ?? local;
  const typeText = [v.type, v.multivalued ? 'multivalued' : '', v.in ?? ''].filter(Boolean).join(' · ');
  const describedBy = [error ? `${id}-error` : '', v.description ? `${id}-help` : ''].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    'aria-invalid': error ? true : undefined,
    'aria-required': v.required || undefined,
    'aria-describedby': describedBy,
  };
  const setText = (t: string) => onChange(t === '' ? undefined : t);

  let control: JSX.Element;
  if (v.type === 'boolean' && !v.multivalued) {
    const checked = typeof value === 'boolean' ? value : value === 'true' ? true : value === undefined ? v.default === true : false;
    control = <input {...common} type="checkbox" className="rp-checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />;
  } else if (v.enum && v.enum.length > 0 && !v.multivalued) {
    const placeholder = placeholderOf(v);
    control = (
      <select {...common} className="rp-input" value={text} onChange={(e) => setText(e.target.value)}>
        <option value="">{placeholder ? `(default: ${placeholder})` : v.required ? 'Choose…' : '—'}</option>
        {text !== '' && !v.enum.some((x) => enumText(x) === text) && <option value={text}>{`${text} (not allowed)`}</option>}
        {v.enum.map((x) => (
          <option key={enumText(x)} value={enumText(x)}>
            {enumText(x)}
          </option>
        ))}
      </select>
    );
  } else if (v.type === 'json') {
    control = (
      <textarea
        {...common}
        className="rp-input rp-textarea"
        rows={3}
        spellCheck={false}
        value={text}
        placeholder={v.multivalued ? '[ … ]' : placeholderOf(v) || '{ }'}
        onChange={(e) => setText(e.target.value)}
      />
    );
  } else {
    const secret = v.secret === true;
    const numeric = (v.type === 'integer' || v.type === 'number') && !v.multivalued;
    control = (
      <span className={secret ? 'rp-secret' : undefined}>
        <input
          {...common}
          type={secret && !revealed ? 'password' : 'text'}
          inputMode={numeric ? (v.type === 'integer' ? 'numeric' : 'decimal') : undefined}
          className="rp-input"
          autoComplete={secret ? 'new-password' : 'off'}
          spellCheck={false}
          value={text}
          placeholder={v.multivalued ? `${placeholderOf(v) || 'a, b, c'}` : placeholderOf(v)}
          onChange={(e) => setText(e.target.value)}
        />
        {secret && (
          <button type="button" className="rp-button rp-reveal" aria-pressed={revealed} aria-controls={id} onClick={() => setRevealed((r) => !r)}>
            {revealed ? 'Hide' : 'Show'}
          </button>
        )}
      </span>
    );
  }

  const chips = v.multivalued && v.type !== 'json' ? splitMultivalued(text) : [];
  const inline = v.type === 'boolean' && !v.multivalued;
  const label = (
    <label htmlFor={id} className="rp-label">
      {v.name}
    </label>
  );
  return (
    <div className={`rp-var${error ? ' rp-invalid' : ''}${inline ? ' rp-inline' : ''}`} data-variable={v.name}>
      <div className="rp-var-line">
        {inline && control}
        {label}
        {v.required && (
          <span className="rp-required" aria-hidden="true" title="required">
            *
          </span>
        )}
        <span className="rp-type">{typeText}</span>
      </div>
      {!inline && control}
      {chips.length > 0 && (
        <ul className="rp-chips" aria-label={`${chips.length} value${chips.length === 1 ? '' : 's'}`}>
          {chips.map((c, i) => (
            <li key={i} className="rp-chip">
              {c}
            </li>
          ))}
        </ul>
      )}
      {error && (
        <div id={`${id}-error`} className="rp-error">
          {error}
        </div>
      )}
      {v.description && (
        <div id={`${id}-help`} className="rp-help">
          {v.description}
        </div>
      )}
      {v.multivalued && v.type !== 'json' && <div className="rp-help">Separate values with commas.</div>}
    </div>
  );
}
