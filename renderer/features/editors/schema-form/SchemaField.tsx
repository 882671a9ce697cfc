import type { JSX } from 'react';
import { ArrayField } from './ArrayField.js';
import { BooleanField } from './BooleanField.js';
import { ConstField } from './ConstField.js';
import type { FieldProps } from './context.js';
import { EnumField } from './EnumField.js';
import { JsonField } from './JsonField.js';
import { NumberField } from './NumberField.js';
import { ObjectField } from './ObjectField.js';
import { RecordField } from './RecordField.js';
import { StringField } from './StringField.js';
import { UnionField } from './UnionField.js';

/** Draws one field by its model's kind. */
export function SchemaField(props: FieldProps): JSX.Element {
  const { model } = props;
  switch (model.kind) {
    case 'string':
      return <StringField {...props} model={model} />;
    case 'number':
      return <NumberField {...props} model={model} />;
    case 'boolean':
      return <BooleanField {...props} model={model} />;
    case 'enum':
      return <EnumField {...props} model={model} />;
    case 'const':
      return <ConstField {...props} model={model} />;
    case 'object':
      return <ObjectField {...props} model={model} />;
    case 'union':
      return <UnionField {...props} model={model} />;
    case 'array':
      return <ArrayField {...props} model={model} />;
    case 'record':
      return <RecordField {...props} model={model} />;
    case 'json':
      return <JsonField {...props} model={model} />;
  }
}
