import type { ObjectRef, ProjectState, StepKindInfo } from '../../../src/contract/index.js';
import { refObjectName } from '../../../src/contract/index.js';
import { STEP_ID_PATTERN, nameSchema } from '../../../src/model/index.js';
import type { JsonSchema, Path } from './schema-form/schema.js';
import { isRecord } from './schema-form/schema.js';
import type { KindsList } from './types.js';

/**
 * What the property editor draws for each kind of object, and how an edit becomes an object.update.
 * Pure: tested in test/renderer.
 */

export type ProjectModel = ProjectState['project'];
export type PlainObject = Record<string, unknown>;

/** A part of the form: the fields of `schema`, for the value at `path` inside the object. */
export interface EditorSection {
  id: string;
  title?: string;
  description?: string;
  path: Path;
  schema: JsonSchema;
  /** keys not drawn here (the name, child objects that are tree nodes) */
  omit: string[];
  /** drawn by a dedicated form instead of the schema form: a step's props (mode switches, Pick…, Monaco) */
  custom?: 'stepProps';
}

export interface EditorSpec {
  /** 'HTTP connector', 'Transaction', ... */
  typeTitle: string;
  typeDescription?: string;
  /** the key renamed through object.rename: 'name', or 'id' for steps */
  nameKey: 'name' | 'id';
  nameLabel: string;
  /** keys object.update must carry from the current object, whatever the draft holds (children) */
  preserve: string[];
  /** read-only facts shown above the form (the connector kind) */
  info: { label: string; value: string }[];
  sections: EditorSection[];
}

/** A stable string for a ref: equal refs give equal keys. */
export function refKey(ref: ObjectRef | null | undefined): string {
  if (!ref) return '';
  return JSON.stringify(Object.entries(ref).sort(([a], [b]) => a.localeCompare(b)));
}

function list(value: unknown): PlainObject[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

function byName(items: unknown, name: string, key = 'name'): PlainObject | undefined {
  return list(items).find((x) => x[key] === name);
}

function findStep(steps: unknown, id: string): PlainObject | undefined {
  for (const step of list(steps)) {
    if (step.id === id) return step;
    const inner = findStep(step.steps, id);
    if (inner) return inner;
  }
  return undefined;
}

/** The object a ref points at inside the project model, or undefined when it is gone. */
export function findObject(project: ProjectModel, ref: ObjectRef): PlainObject | undefined {
  const p = project as unknown as PlainObject;
  switch (ref.type) {
    case 'project':
      return p;
    case 'connector':
      return byName(p.connectors, ref.connector);
    case 'transaction':
      return byName(byName(p.connectors, ref.connector)?.transactions, ref.transaction);
    case 'variable':
      return byName(byName(byName(p.connectors, ref.connector)?.transactions, ref.transaction)?.variables, ref.variable);
    case 'sequence':
      return byName(p.sequences, ref.sequence);
    case 'sequenceVariable':
      return byName(byName(p.sequences, ref.sequence)?.variables, ref.variable);
    case 'step':
      return findStep(byName(p.sequences, ref.sequence)?.steps, ref.step);
  }
}

/** The connector that owns a transaction or variable ref. */
export function ownerConnector(project: ProjectModel, ref: ObjectRef): PlainObject | undefined {
  if (ref.type === 'connector' || ref.type === 'transaction' || ref.type === 'variable') return byName((project as unknown as PlainObject).connectors, ref.connector);
  return undefined;
}

/** The name a ref carries (what object.update must keep); undefined for the project. */
export function refName(ref: ObjectRef): string | undefined {
  return refObjectName(ref);
}

/** Keys of the project model that are not trellis.yaml: its folder and its children. */
const PROJECT_CHILDREN = ['dir', 'connectors', 'sequences'];

/** The editable copy of an object (a deep clone; for the project, the trellis.yaml keys). */
export function toDraft(ref: ObjectRef, object: PlainObject): PlainObject {
  const clone = JSON.parse(JSON.stringify(object)) as PlainObject;
  if (ref.type === 'project') for (const k of PROJECT_CHILDREN) delete clone[k];
  return clone;
}

/**
 * The value object.update receives: the draft, with the children (transactions, variables, steps)
 * and the name taken from the current object, so an edit never overwrites what changed elsewhere.
 */
export function buildUpdateValue(spec: EditorSpec, ref: ObjectRef, current: PlainObject, draft: PlainObject): PlainObject {
  const value: PlainObject = { ...draft };
  for (const k of spec.preserve) {
    if (current[k] === undefined) delete value[k];
    else value[k] = current[k];
  }
  const name = refName(ref) ?? current[spec.nameKey];
  if (name !== undefined) value[spec.nameKey] = name;
  for (const k of Object.keys(value)) if (value[k] === undefined) delete value[k];
  return value;
}

/** Checks a new name as it is typed. */
export function validateName(ref: ObjectRef, text: string): string | undefined {
  if (ref.type === 'step') {
    if (text === '') return 'a step id cannot be empty';
    return STEP_ID_PATTERN.test(text) ? undefined : 'a step id starts with a letter or _ and holds only letters, digits and _';
  }
  const r = nameSchema.safeParse(text);
  return r.success ? undefined : r.error.issues[0]?.message ?? 'invalid name';
}

function scalarSchemaFor(type: unknown): JsonSchema {
  switch (type) {
    case 'integer':
      return { type: 'integer' };
    case 'number':
      return { type: 'number' };
    case 'boolean':
      return { type: 'boolean' };
    case 'json':
      return {};
    default:
      return { type: 'string' };
  }
}

/**
 * The variable schema with `default` and `enum` typed by the variable's own `type` (and `multivalued`),
 * so a default is edited as a number, a checkbox, a list... instead of JSON text.
 */
export function variableFormSchema(schema: JsonSchema, draft: PlainObject): JsonSchema {
  const props = schema.properties;
  if (!props) return schema;
  const item = scalarSchemaFor(draft.type);
  const scalar = draft.type !== 'json';
  const out: JsonSchema = { ...schema, properties: { ...props } };
  const defaultProp = props.default;
  if (defaultProp) {
    const typed = draft.multivalued === true && scalar ? { type: 'array', items: item } : item;
    out.properties!.default = { ...typed, title: defaultProp.title, description: defaultProp.description ?? 'The value used when none is given' };
  }
  const enumProp = props.enum;
  if (enumProp && scalar && draft.type !== 'boolean') {
    out.properties!.enum = { type: 'array', items: item, title: enumProp.title ?? 'Allowed values', description: enumProp.description ?? 'When set, the only values accepted' };
  }
  return out;
}

const DESCRIPTION: JsonSchema = { type: 'string', description: 'What this is for; shown as help and in the OpenAPI document' };

const PROJECT_SCHEMA: JsonSchema = { type: 'object', properties: { description: DESCRIPTION }, additionalProperties: false };
const CONNECTOR_GENERAL_SCHEMA: JsonSchema = { type: 'object', properties: { description: DESCRIPTION }, additionalProperties: false };
const SEQUENCE_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    description: DESCRIPTION,
    exposed: { type: 'boolean', default: true, description: 'Served by the runtime as a REST API' },
  },
  additionalProperties: false,
};
const STEP_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    description: DESCRIPTION,
    disabled: { type: 'boolean', default: false, description: 'Skipped when the sequence runs' },
    props: { type: 'object', description: 'The step properties' },
  },
  additionalProperties: false,
};
const STEP_GENERAL_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    description: { type: 'string', description: 'What this step is for; shown on the canvas' },
    disabled: { type: 'boolean', default: false, description: 'Skipped when the sequence runs' },
  },
  additionalProperties: false,
};
const FALLBACK_TRANSACTION_SCHEMA: JsonSchema = { type: 'object', properties: { description: DESCRIPTION }, additionalProperties: true };
const FALLBACK_OBJECT_SCHEMA: JsonSchema = { type: 'object', additionalProperties: true };

/** A schema the engine sent, or undefined when absent or empty (kinds still loading). */
function asSchema(value: unknown): JsonSchema | undefined {
  return isRecord(value) && Object.keys(value).length > 0 ? (value as JsonSchema) : undefined;
}

/** What the editor draws for an object (its current draft decides typed variable defaults). */
export function editorSpec(ref: ObjectRef, draft: PlainObject, kinds: KindsList | undefined, project: ProjectModel, stepKinds?: readonly StepKindInfo[] | null): EditorSpec {
  switch (ref.type) {
    case 'project':
      return {
        typeTitle: 'Project',
        nameKey: 'name',
        nameLabel: 'Name',
        preserve: [],
        info: [{ label: 'Folder', value: String((project as unknown as PlainObject).dir ?? '') }],
        sections: [{ id: 'general', path: [], schema: PROJECT_SCHEMA, omit: ['name'] }],
      };
    case 'connector': {
      const kind = typeof draft.kind === 'string' ? draft.kind : '';
      const info = kinds?.connectors.find((k) => k.kind === kind);
      return {
        typeTitle: info?.title ?? `${kind || 'Unknown'} connector`,
        typeDescription: info?.description,
        nameKey: 'name',
        nameLabel: 'Name',
        preserve: ['kind', 'transactions'],
        info: [{ label: 'Kind', value: info ? `${kind} — ${info.title}` : `${kind} (not a known kind: its settings are edited as JSON)` }],
        sections: [
          { id: 'general', path: [], schema: CONNECTOR_GENERAL_SCHEMA, omit: ['name'] },
          {
            id: 'config',
            title: 'Settings',
            path: ['config'],
            schema: asSchema(info?.configSchema) ?? FALLBACK_OBJECT_SCHEMA,
            omit: [],
          },
        ],
      };
    }
    case 'transaction': {
      const connector = ownerConnector(project, ref);
      const info = kinds?.connectors.find((k) => k.kind === connector?.kind);
      const schema = asSchema(info?.transactionSchema) ?? FALLBACK_TRANSACTION_SCHEMA;
      return {
        typeTitle: info ? `${info.title} transaction` : 'Transaction',
        nameKey: 'name',
        nameLabel: 'Name',
        preserve: ['variables'],
        info: [],
        sections: [{ id: 'general', path: [], schema, omit: ['name', 'variables'] }],
      };
    }
    case 'variable':
    case 'sequenceVariable': {
      const schema = asSchema(kinds?.variableSchema) ?? FALLBACK_OBJECT_SCHEMA;
      return {
        typeTitle: ref.type === 'variable' ? 'Transaction variable' : 'Sequence variable',
        nameKey: 'name',
        nameLabel: 'Name',
        preserve: [],
        info: [],
        sections: [{ id: 'general', path: [], schema: variableFormSchema(schema, draft), omit: ['name'] }],
      };
    }
    case 'sequence':
      return {
        typeTitle: 'Sequence',
        nameKey: 'name',
        nameLabel: 'Name',
        preserve: ['variables', 'steps'],
        info: [],
        sections: [{ id: 'general', path: [], schema: SEQUENCE_SCHEMA, omit: ['name', 'variables', 'steps'] }],
      };
    case 'step': {
      const kind = String(draft.kind ?? '');
      const info = stepKinds?.find((k) => k.kind === kind);
      const propsSchema = asSchema(info?.propsSchema);
      if (!info || !propsSchema)
        return {
          typeTitle: info?.title ?? 'Step',
          nameKey: 'id',
          nameLabel: 'ID',
          preserve: ['kind', 'steps'],
          info: [{ label: 'Kind', value: stepKinds ? `${kind} (not a known kind: its properties are edited as JSON)` : kind }],
          sections: [{ id: 'general', path: [], schema: STEP_SCHEMA, omit: ['id', 'kind', 'steps'] }],
        };
      return {
        typeTitle: `${info.title} step`,
        typeDescription: info.description,
        nameKey: 'id',
        nameLabel: 'ID',
        preserve: ['kind', 'steps'],
        info: [],
        sections: [
          { id: 'props', path: ['props'], schema: propsSchema, omit: [], custom: 'stepProps' },
          { id: 'general', title: 'General', path: [], schema: STEP_GENERAL_SCHEMA, omit: ['id', 'kind', 'steps', 'props'] },
        ],
      };
    }
  }
}
