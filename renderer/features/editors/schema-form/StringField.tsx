import { useState } from 'react';
import type { JSX } from 'react';
import { describedBy, fieldId, useFormContext } from './context.js';
import type { FieldProps } from './context.js';
import { FieldRow } from './FieldRow.js';
import type { StringModel } from './schema.js';
import { isSecretField, isSecretKey } from './secrets.js';
import { SecretField } from './SecretField.js';
import { pickError, placeholderFor, validateValue } from './validate.js';

/** Text: an input, or a textarea for long text (body, description, SQL...). Secrets go to SecretField. */
export function StringField(props: FieldProps<StringModel>): JSX.Element {
  const { model, value, path, onChange, parent, compact } = props;
  const ctx = useFormContext();
  // Decided once (plus the key/flag, which do not change while typing) so typing `${env:` never remounts the input.
  const [startedSecret] = useState(() => isSecretField(path, value, parent));
  if (startedSecret || isSecretKey(path, parent)) return <SecretField {...props} />;

  const id = fieldId(ctx.idPrefix, path);
  const text = typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
  const error = pickError(ctx.errorAt(path, value), validateValue(model, value), value);
  const help = model.description && !compact;
  const common = {
    id,
    value: text,
    placeholder: placeholderFor(model),
    disabled: ctx.disabled || model.readOnly,
    'aria-invalid': error ? true : undefined,
    'aria-required': model.required || undefined,
    'aria-describedby': describedBy(id, error, help),
    spellCheck: false,
    onChange: (e: { target: { value: string } }) => onChange(e.target.value === '' && !model.required ? undefined : e.target.value),
  };
  return (
    <FieldRow id={id} label={model.label} required={model.required} description={model.description} error={error} compact={compact}>
      {model.multiline ? <textarea className="sf-input sf-textarea" rows={3} {...common} /> : <input type="text" className="sf-input" autoComplete="off" {...common} />}
    </FieldRow>
  );
}
