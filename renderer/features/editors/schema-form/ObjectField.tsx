import type { JSX } from 'react';
import { fieldId, useFormContext } from './context.js';
import type { FieldProps } from './context.js';
import { humanize } from './humanize.js';
import { JsonField } from './JsonField.js';
import type { JsonModel, ObjectModel, Path } from './schema.js';
import { isRecord, setKey } from './schema.js';
import { SchemaField } from './SchemaField.js';

export interface ObjectFieldsProps {
  model: ObjectModel;
  value: unknown;
  path: Path;
  onChange(value: unknown): void;
  /** keys drawn elsewhere (the name) or not at all (variables, which are tree nodes) */
  omit?: readonly string[];
  /** a base for edits when the value is absent (a union branch's discriminator) */
  seed?: Record<string, unknown>;
}

function extraModel(key: string): JsonModel {
  return { kind: 'json', key, label: humanize(key), hasDefault: false, required: false, readOnly: false, nullable: false };
}

/** The fields of an object, in schema order, then the keys the schema does not name (as JSON). */
export function ObjectFields({ model, value, path, onChange, omit, seed }: ObjectFieldsProps): JSX.Element {
  const obj = isRecord(value) ? value : {};
  const base = isRecord(value) ? value : seed ?? {};
  const known = new Set(model.fields.map((f) => f.key));
  const extras = model.additional ? Object.keys(obj).filter((k) => !known.has(k) && !omit?.includes(k)) : [];
  return (
    <>
      {model.fields
        .filter((f) => !omit?.includes(f.key))
        .map((f) => (
          <SchemaField key={f.key} model={f} value={obj[f.key]} path={[...path, f.key]} parent={obj} onChange={(v) => onChange(setKey(base, f.key, v))} />
        ))}
      {extras.map((k) => (
        <JsonField key={k} model={extraModel(k)} value={obj[k]} path={[...path, k]} onChange={(v) => onChange(setKey(base, k, v))} />
      ))}
    </>
  );
}

/** A nested object: a fieldset titled by its label. */
export function ObjectField({ model, value, path, onChange }: FieldProps<ObjectModel>): JSX.Element {
  const ctx = useFormContext();
  const id = fieldId(ctx.idPrefix, path);
  const error = ctx.errorAt(path, value);
  return (
    <fieldset className={`sf-fieldset${error ? ' sf-invalid' : ''}`} aria-describedby={model.description ? `${id}-help` : undefined}>
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
      {error && <div className="sf-error">{error}</div>}
      <ObjectFields model={model} value={value} path={path} onChange={onChange} />
    </fieldset>
  );
}
