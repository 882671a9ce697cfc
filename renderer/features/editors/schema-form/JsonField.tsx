import { useEffect, useState } from 'react';
import type { JSX } from 'react';
import { describedBy, fieldId, useFormContext } from './context.js';
import type { FieldProps } from './context.js';
import { FieldRow } from './FieldRow.js';
import type { FieldModel } from './schema.js';
import { jsonEqual } from './schema.js';
import { formatJsonText, parseJsonText, pickError, validateValue } from './validate.js';

/**
 * The fallback for shapes the form cannot draw: JSON text. The text stays as typed; only valid JSON
 * reaches the model, and parse errors are shown under the field.
 */
export function JsonField({ model, value, path, onChange, compact }: FieldProps<FieldModel>): JSX.Element {
  const ctx = useFormContext();
  const id = fieldId(ctx.idPrefix, path);
  const [text, setText] = useState(() => formatJsonText(value));

  useEffect(() => {
    setText((current) => {
      const parsed = parseJsonText(current);
      if (parsed.error === undefined && jsonEqual(parsed.value, value)) return current;
      if (parsed.error !== undefined && value === undefined) return current;
      return formatJsonText(value);
    });
  }, [value]);

  const parsed = parseJsonText(text);
  const error = parsed.error ?? pickError(ctx.errorAt(path, value), parsed.value === undefined ? validateValue(model, undefined) : undefined, parsed.value);
  const description = [model.description, '(JSON)'].filter(Boolean).join(' ');
  const lines = Math.min(12, Math.max(2, text.split('\n').length));
  return (
    <FieldRow id={id} label={model.label} required={model.required} description={description} error={error} compact={compact}>
      <textarea
        id={id}
        className="sf-input sf-textarea sf-json"
        rows={lines}
        value={text}
        spellCheck={false}
        placeholder={model.default !== undefined ? JSON.stringify(model.default) : undefined}
        disabled={ctx.disabled || model.readOnly}
        aria-invalid={error ? true : undefined}
        aria-required={model.required || undefined}
        aria-describedby={describedBy(id, error, !compact)}
        onChange={(e) => {
          const next = e.target.value;
          setText(next);
          const p = parseJsonText(next);
          if (p.error === undefined) onChange(p.value);
        }}
      />
    </FieldRow>
  );
}
