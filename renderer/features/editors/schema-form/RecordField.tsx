import { useEffect, useState } from 'react';
import type { JSX } from 'react';
import { fieldId, useFormContext } from './context.js';
import type { FieldProps } from './context.js';
import type { RecordModel } from './schema.js';
import { isRecord, jsonEqual } from './schema.js';
import { parseNumberText, rowsToRecord } from './validate.js';

type Row = [key: string, text: string];

function toRows(value: unknown): Row[] {
  if (!isRecord(value)) return [];
  return Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v)]);
}

/** The typed value of a cell's text, or a message. */
function cellValue(model: RecordModel, text: string): { value?: unknown; error?: string } {
  switch (model.value.kind) {
    case 'number': {
      const p = parseNumberText(text, model.value.integer);
      return p.error ? { error: p.error } : { value: p.value ?? 0 };
    }
    case 'boolean':
      return { value: text === 'true' };
    default:
      return { value: text };
  }
}

function build(model: RecordModel, rows: Row[]): { value: Record<string, unknown>; errors: (string | undefined)[] } {
  const cells = rows.map(([, t]) => cellValue(model, t));
  const typed = rows.map(([k], i) => (cells[i]!.error ? (['', ''] as const) : ([k, cells[i]!.value] as const)));
  const { value, errors } = rowsToRecord(typed);
  return { value, errors: rows.map((_, i) => cells[i]!.error ?? errors[i]) };
}

/**
 * A record (string keys → scalar values, e.g. headers): a table of name/value rows. Rows live in the
 * field while they are incomplete or duplicated; the model gets the valid ones.
 */
export function RecordField({ model, value, path, onChange }: FieldProps<RecordModel>): JSX.Element {
  const ctx = useFormContext();
  const id = fieldId(ctx.idPrefix, path);
  const [rows, setRows] = useState<Row[]>(() => toRows(value));
  const disabled = ctx.disabled || model.readOnly;

  useEffect(() => {
    setRows((current) => (jsonEqual(build(model, current).value, isRecord(value) ? value : {}) ? current : toRows(value)));
  }, [value, model]);

  const update = (next: Row[]) => {
    setRows(next);
    const built = build(model, next);
    const empty = Object.keys(built.value).length === 0;
    onChange(empty && !isRecord(value) ? undefined : built.value);
  };
  const { errors } = build(model, rows);
  const fieldError = ctx.errorAt(path, value);
  const placeholder = isRecord(model.default) && Object.keys(model.default).length > 0 ? `Default: ${JSON.stringify(model.default)}` : 'No entries';
  return (
    <fieldset className={`sf-fieldset sf-record${fieldError ? ' sf-invalid' : ''}`} aria-describedby={model.description ? `${id}-help` : undefined}>
      <legend className="sf-legend">{model.label}</legend>
      {model.description && (
        <div id={`${id}-help`} className="sf-help">
          {model.description}
        </div>
      )}
      {rows.length === 0 ? (
        <div className="sf-empty">{placeholder}</div>
      ) : (
        <table className="sf-table">
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Value</th>
              <th scope="col">
                <span className="sf-sr-only">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([k, t], i) => {
              const rowError = errors[i] ?? (k.trim() ? ctx.errorAt([...path, k.trim()], isRecord(value) ? value[k.trim()] : undefined) : undefined);
              const rowId = `${id}-${i}`;
              return (
                <tr key={i} className={rowError ? 'sf-invalid' : undefined}>
                  <td>
                    <input
                      className="sf-input"
                      type="text"
                      value={k}
                      disabled={disabled}
                      spellCheck={false}
                      aria-label={`${model.label} key ${i + 1}`}
                      aria-invalid={rowError ? true : undefined}
                      aria-describedby={rowError ? `${rowId}-error` : undefined}
                      onChange={(e) => update(rows.map((r, j) => (j === i ? [e.target.value, r[1]] : r)))}
                    />
                  </td>
                  <td>
                    {model.value.kind === 'boolean' ? (
                      <input
                        type="checkbox"
                        checked={t === 'true'}
                        disabled={disabled}
                        aria-label={`${model.label} value ${i + 1}`}
                        onChange={(e) => update(rows.map((r, j) => (j === i ? [r[0], String(e.target.checked)] : r)))}
                      />
                    ) : (
                      <input
                        className="sf-input"
                        type="text"
                        value={t}
                        disabled={disabled}
                        spellCheck={false}
                        aria-label={`${model.label} value ${i + 1}`}
                        onChange={(e) => update(rows.map((r, j) => (j === i ? [r[0], e.target.value] : r)))}
                      />
                    )}
                    {rowError && (
                      <div id={`${rowId}-error`} className="sf-error">
                        {rowError}
                      </div>
                    )}
                  </td>
                  <td>
                    <button type="button" className="sf-button sf-icon-button" disabled={disabled} title={`Remove row ${i + 1}`} onClick={() => update(rows.filter((_, j) => j !== i))}>
                      ×<span className="sf-sr-only">{` Remove row ${i + 1}`}</span>
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {fieldError && <div className="sf-error">{fieldError}</div>}
      <button type="button" className="sf-button sf-add" disabled={disabled} onClick={() => setRows([...rows, ['', model.value.kind === 'boolean' ? 'false' : '']])}>
        + Add entry
      </button>
    </fieldset>
  );
}
