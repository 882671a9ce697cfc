import { useEffect, useState } from 'react';
import type { JSX } from 'react';
import { describedBy, fieldId, useFormContext } from './context.js';
import type { FieldProps } from './context.js';
import { FieldRow } from './FieldRow.js';
import type { NumberModel } from './schema.js';
import { parseNumberText, pickError, placeholderFor, validateNumber, validateValue } from './validate.js';

function format(value: unknown): string {
  return typeof value === 'number' ? String(value) : value === undefined || value === null ? '' : String(value);
}

/**
 * number / integer with min/max. A text input (not type=number) so whatever is typed stays in the field,
 * with its message, until it is a number; only numbers reach the model.
 */
export function NumberField({ model, value, path, onChange, compact }: FieldProps<NumberModel>): JSX.Element {
  const ctx = useFormContext();
  const id = fieldId(ctx.idPrefix, path);
  const [text, setText] = useState(() => format(value));

  // The model changed from elsewhere (undo, reload): show it, unless the text already says the same.
  useEffect(() => {
    setText((current) => {
      const parsed = parseNumberText(current, model.integer);
      if (parsed.error === undefined && parsed.value === (typeof value === 'number' ? value : undefined)) return current;
      if (parsed.error !== undefined && value === undefined) return current;
      return format(value);
    });
  }, [value, model.integer]);

  const parsed = parseNumberText(text, model.integer);
  const local =
    parsed.error ?? (parsed.value === undefined ? validateValue(model, undefined) : validateNumber(model, parsed.value));
  const error = parsed.error ?? pickError(ctx.errorAt(path, value), local, parsed.value);
  const range = [
    model.minimum !== undefined ? `≥ ${model.minimum}` : model.exclusiveMinimum !== undefined ? `> ${model.exclusiveMinimum}` : '',
    model.maximum !== undefined ? `≤ ${model.maximum}` : model.exclusiveMaximum !== undefined ? `< ${model.exclusiveMaximum}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const description = [model.description, range && `(${model.integer ? 'whole number ' : ''}${range})`].filter(Boolean).join(' ') || undefined;
  return (
    <FieldRow id={id} label={model.label} required={model.required} description={description} error={error} compact={compact}>
      <input
        id={id}
        type="text"
        inputMode={model.integer ? 'numeric' : 'decimal'}
        className="sf-input sf-number"
        autoComplete="off"
        value={text}
        placeholder={placeholderFor(model)}
        disabled={ctx.disabled || model.readOnly}
        aria-invalid={error ? true : undefined}
        aria-required={model.required || undefined}
        aria-describedby={describedBy(id, error, description && !compact)}
        onChange={(e) => {
          const next = e.target.value;
          setText(next);
          const p = parseNumberText(next, model.integer);
          if (p.error === undefined) onChange(p.value);
        }}
      />
    </FieldRow>
  );
}
