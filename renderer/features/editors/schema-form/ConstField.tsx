import type { JSX } from 'react';
import { fieldId, useFormContext } from './context.js';
import type { FieldProps } from './context.js';
import { FieldRow } from './FieldRow.js';
import type { ConstModel } from './schema.js';

/** A value the schema fixes: shown, not editable. */
export function ConstField({ model, path, compact }: FieldProps<ConstModel>): JSX.Element {
  const ctx = useFormContext();
  const id = fieldId(ctx.idPrefix, path);
  const text = typeof model.value === 'string' ? model.value : JSON.stringify(model.value);
  return (
    <FieldRow id={id} label={model.label} description={model.description} compact={compact}>
      <input id={id} type="text" className="sf-input" value={text} readOnly aria-readonly="true" />
    </FieldRow>
  );
}
