import type { JSX } from 'react';
import { describedBy, fieldId, useFormContext } from './context.js';
import type { FieldProps } from './context.js';
import { FieldRow } from './FieldRow.js';
import type { EnumModel } from './schema.js';
import { jsonEqual } from './schema.js';
import { pickError, placeholderFor, validateValue } from './validate.js';

/** A select over the allowed values; "no value" is offered when the field is optional or has a default. */
export function EnumField({ model, value, path, onChange, compact }: FieldProps<EnumModel>): JSX.Element {
  const ctx = useFormContext();
  const id = fieldId(ctx.idPrefix, path);
  const index = value === undefined ? -1 : model.options.findIndex((o) => jsonEqual(o.value, value));
  const unknown = value !== undefined && index === -1;
  const error = pickError(ctx.errorAt(path, value), validateValue(model, value), value);
  const placeholder = placeholderFor(model);
  const selected = model.options[index];
  const description = [model.description, selected?.description].filter(Boolean).join(' — ') || undefined;
  return (
    <FieldRow id={id} label={model.label} required={model.required} description={description} error={error} compact={compact}>
      <select
        id={id}
        className="sf-input sf-select"
        value={unknown ? 'unknown' : index === -1 ? '' : String(index)}
        disabled={ctx.disabled || model.readOnly}
        aria-invalid={error ? true : undefined}
        aria-required={model.required || undefined}
        aria-describedby={describedBy(id, error, description && !compact)}
        onChange={(e) => {
          const v = e.target.value;
          if (v === '') onChange(undefined);
          else if (v !== 'unknown') onChange(model.options[Number(v)]?.value);
        }}
      >
        {(index === -1 || !model.required) && <option value="">{placeholder !== undefined ? `(default: ${placeholder})` : model.required ? 'Choose…' : '—'}</option>}
        {unknown && <option value="unknown">{`${JSON.stringify(value)} (not allowed)`}</option>}
        {model.options.map((o, i) => (
          <option key={i} value={String(i)}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldRow>
  );
}
