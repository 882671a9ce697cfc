import type { JSX } from 'react';
import { describedBy, fieldId, useFormContext } from './context.js';
import type { FieldProps } from './context.js';
import { FieldRow } from './FieldRow.js';
import type { BooleanModel } from './schema.js';

/** A checkbox. Without a value it shows the default; ticking it writes an explicit true/false. */
export function BooleanField({ model, value, path, onChange, compact }: FieldProps<BooleanModel>): JSX.Element {
  const ctx = useFormContext();
  const id = fieldId(ctx.idPrefix, path);
  const checked = typeof value === 'boolean' ? value : model.default === true;
  const error = ctx.errorAt(path, value) ?? (value !== undefined && value !== null && typeof value !== 'boolean' ? 'Expected true or false' : undefined);
  const description = value === undefined && model.hasDefault ? [model.description, `(default: ${model.default === true ? 'on' : 'off'})`].filter(Boolean).join(' ') : model.description;
  return (
    <FieldRow id={id} label={model.label} description={description} error={error} inline compact={compact}>
      <input
        id={id}
        type="checkbox"
        className="sf-checkbox"
        checked={checked}
        disabled={ctx.disabled || model.readOnly}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error, description && !compact)}
        onChange={(e) => onChange(e.target.checked)}
      />
    </FieldRow>
  );
}
