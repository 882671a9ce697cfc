import type { JSX } from 'react';
import { fieldId, useFormContext } from './context.js';
import type { FieldProps } from './context.js';
import type { ArrayModel, ScalarModel } from './schema.js';
import { SchemaField } from './SchemaField.js';
import { validateValue } from './validate.js';

function emptyItem(item: ScalarModel): unknown {
  switch (item.kind) {
    case 'string':
      return '';
    case 'number':
      return item.minimum ?? 0;
    case 'boolean':
      return false;
    case 'enum':
      return item.options[0]?.value;
  }
}

/** A list of scalars: one input per item, with add and remove. */
export function ArrayField({ model, value, path, onChange }: FieldProps<ArrayModel>): JSX.Element {
  const ctx = useFormContext();
  const id = fieldId(ctx.idPrefix, path);
  const items = Array.isArray(value) ? value : [];
  const error = ctx.errorAt(path, value) ?? (value === undefined ? validateValue(model, value) : undefined);
  const disabled = ctx.disabled || model.readOnly;
  const canAdd = model.maxItems === undefined || items.length < model.maxItems;
  return (
    <fieldset className={`sf-fieldset sf-array${error ? ' sf-invalid' : ''}`} aria-describedby={model.description ? `${id}-help` : undefined}>
      <legend className="sf-legend">
        {model.label}
        {model.required && (
          <span className="sf-required" aria-hidden="true">
            *
          </span>
        )}
      </legend>
      {model.description && (
        <div id={`${id}-help`} className="sf-help">
          {model.description}
        </div>
      )}
      {items.length === 0 && <div className="sf-empty">{model.default !== undefined ? `Default: ${JSON.stringify(model.default)}` : 'No items'}</div>}
      {items.map((item, i) => (
        <div className="sf-array-item" key={i}>
          <SchemaField
            model={{ ...model.item, key: String(i), label: `${model.label} ${i + 1}`, required: true, description: undefined }}
            value={item}
            path={[...path, i]}
            compact
            onChange={(v) => onChange(items.map((x, j) => (j === i ? v : x)))}
          />
          <button type="button" className="sf-button sf-icon-button" disabled={disabled} title={`Remove item ${i + 1}`} onClick={() => onChange(items.length === 1 ? undefined : items.filter((_, j) => j !== i))}>
            ×<span className="sf-sr-only">{` Remove item ${i + 1}`}</span>
          </button>
        </div>
      ))}
      {error && <div className="sf-error">{error}</div>}
      <button type="button" className="sf-button sf-add" disabled={disabled || !canAdd} onClick={() => onChange([...items, emptyItem(model.item)])}>
        + Add item
      </button>
    </fieldset>
  );
}
