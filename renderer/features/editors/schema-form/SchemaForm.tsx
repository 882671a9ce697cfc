import { useMemo } from 'react';
import type { JSX } from 'react';
import { FormContext } from './context.js';
import type { FormContextValue } from './context.js';
import { ObjectFields } from './ObjectField.js';
import type { JsonSchema, Path } from './schema.js';
import { buildFieldModel } from './schema.js';
import { SchemaField } from './SchemaField.js';

export interface SchemaFormProps {
  /** the JSON Schema to draw (an object schema draws its properties as the form's fields) */
  schema: JsonSchema;
  value: unknown;
  onChange(value: unknown): void;
  /** where the value sits in the edited object: prefixes field ids and error paths */
  path?: Path;
  /** makes ids unique when several forms share a page */
  idPrefix?: string;
  /** keys of a root object not drawn */
  omit?: readonly string[];
  /** a label for a root schema that is not an object */
  label?: string;
  /** the engine's message for a field, while it still holds the value the message was about */
  errorAt?: FormContextValue['errorAt'];
  disabled?: boolean;
}

const noErrors: FormContextValue['errorAt'] = () => undefined;

/**
 * A form drawn from a JSON Schema: strings, numbers (min/max), booleans, enums, nested objects,
 * discriminated unions, arrays of scalars, records, and JSON text for any other shape. Reused for
 * connector settings, transactions, variables and step properties.
 */
export function SchemaForm({ schema, value, onChange, path = [], idPrefix = 'sf', omit, label, errorAt = noErrors, disabled = false }: SchemaFormProps): JSX.Element {
  const last = path[path.length - 1];
  const key = typeof last === 'string' ? last : '';
  const omitKey = omit?.join('\u0000') ?? '';
  const model = useMemo(() => buildFieldModel(schema, { key, omit, asObject: true }), [schema, key, omitKey]);
  const context = useMemo<FormContextValue>(() => ({ idPrefix, errorAt, disabled }), [idPrefix, errorAt, disabled]);
  return (
    <FormContext.Provider value={context}>
      <div className="sf-form">
        {model.kind === 'object' ? (
          <ObjectFields model={model} value={value} path={path} onChange={onChange} omit={omit} />
        ) : (
          <SchemaField model={label ? { ...model, label } : model} value={value} path={path} onChange={onChange} />
        )}
      </div>
    </FormContext.Provider>
  );
}
