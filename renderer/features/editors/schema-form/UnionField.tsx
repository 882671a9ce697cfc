import type { JSX } from 'react';
import { describedBy, fieldId, useFormContext } from './context.js';
import type { FieldProps } from './context.js';
import { FieldRow } from './FieldRow.js';
import { ObjectFields } from './ObjectField.js';
import type { UnionModel } from './schema.js';
import { isRecord, switchUnionBranch, unionBranch } from './schema.js';

/**
 * A discriminated union (oneOf/anyOf of objects told apart by a constant key, e.g. auth.type):
 * choose the branch, then fill its fields.
 */
export function UnionField({ model, value, path, onChange, compact }: FieldProps<UnionModel>): JSX.Element {
  const ctx = useFormContext();
  const id = fieldId(ctx.idPrefix, path);
  const branch = unionBranch(model, value);
  const discriminatorValue = isRecord(value) ? value[model.discriminator] : undefined;
  const error = ctx.errorAt(path, value) ?? ctx.errorAt([...path, model.discriminator], discriminatorValue);
  const description = [model.description, branch?.description].filter(Boolean).join(' — ') || undefined;
  return (
    <div className="sf-union">
      <FieldRow id={id} label={model.label} required={model.required} description={description} error={error} compact={compact}>
        <select
          id={id}
          className="sf-input sf-select"
          value={branch?.value ?? ''}
          disabled={ctx.disabled || model.readOnly}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, error, description && !compact)}
          onChange={(e) => onChange(switchUnionBranch(model, value, e.target.value))}
        >
          {model.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </FieldRow>
      {branch && branch.model.fields.length > 0 && (
        <div className="sf-group">
          <ObjectFields model={branch.model} value={value} path={path} onChange={onChange} seed={{ [model.discriminator]: branch.value }} />
        </div>
      )}
    </div>
  );
}
