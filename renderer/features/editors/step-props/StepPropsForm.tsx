import { useEffect, useMemo, useState } from 'react';
import type { JSX } from 'react';
import type { SourceNodeDto, StudioApi } from '../../../../src/contract/index.js';
import type { Project, Step, Variable } from '../../../../src/model/index.js';
import { JsEditor } from '../../js-editor/JsEditor.js';
import { calleeVariables } from '../../source-picker/source-model.js';
import { FormContext, fieldId, useFormContext } from '../schema-form/context.js';
import type { FormContextValue } from '../schema-form/context.js';
import { FieldRow } from '../schema-form/FieldRow.js';
import { humanize } from '../schema-form/humanize.js';
import { JsonField } from '../schema-form/JsonField.js';
import type { JsonSchema, Path } from '../schema-form/schema.js';
import { buildFieldModel, isRecord, setKey } from '../schema-form/schema.js';
import { SchemaField } from '../schema-form/SchemaField.js';
import '../../../styles/step-props.css';
import { constantSchema, describeSource, emptyConstant, isDynamicRecordSchema, isDynamicSchema, jsOf, sourceOf, sourceValue, valueMode } from './dynamic.js';
import type { ValueMode } from './dynamic.js';

/** What the step form knows about where the step lives (call targets, the source picker, JS completions). */
export interface StepEditContext {
  api: StudioApi;
  /** the project folder */
  dir: string;
  project: Project;
  sequence: string;
  step: Step;
  /** "Pick…": the source picker sets the property at `path` (inside the step: ['props', 'over']) */
  onPick?(path: string[]): void;
  /** the property the source picker writes to now */
  picking?: readonly string[] | null;
}

export interface StepPropsFormProps {
  /** the kind's props JSON Schema (steps.list) */
  schema: JsonSchema;
  value: unknown;
  onChange(value: Record<string, unknown> | undefined): void;
  /** where props sit in the step (['props']) */
  path: Path;
  idPrefix: string;
  errorAt: FormContextValue['errorAt'];
  context: StepEditContext;
}

function samePath(a: readonly (string | number)[] | null | undefined, b: readonly (string | number)[]): boolean {
  return !!a && a.length === b.length && a.every((x, i) => String(x) === String(b[i]));
}

/** The constant schema of a call variable of a known type (so `id: integer` is typed as a number, not JSON). */
function typedConstant(type: string | undefined): JsonSchema | undefined {
  switch (type) {
    case 'integer':
      return { type: 'integer' };
    case 'number':
      return { type: 'number' };
    case 'boolean':
      return { type: 'boolean' };
    case 'string':
      return { type: 'string' };
    default:
      return undefined;
  }
}

const MODES: { id: ValueMode; label: string; title: string }[] = [
  { id: 'constant', label: 'Value', title: 'A constant value' },
  { id: 'source', label: 'Source', title: 'Data produced earlier: a variable or an earlier step’s output' },
  { id: 'js', label: 'JS', title: 'A JavaScript expression (variables, steps.<id>, item, index in scope)' },
];

interface DynamicFieldProps {
  label: string;
  description?: string;
  required: boolean;
  /** the form path (['props', 'over']) */
  path: Path;
  value: unknown;
  onChange(value: unknown): void;
  constant: JsonSchema;
  root: JsonSchema;
  context: StepEditContext;
  /** a short type shown beside the label (a call variable's type) */
  typeHint?: string;
}

/** A property that takes a constant, a source or an expression: a mode switch and the matching editor. */
function DynamicField({ label, description, required, path, value, onChange, constant, root, context, typeHint }: DynamicFieldProps): JSX.Element {
  const { idPrefix } = useFormContext();
  const id = fieldId(idPrefix, path);
  const mode = valueMode(value);
  const [chosen, setChosen] = useState<ValueMode | null>(null);
  // the value changed mode from elsewhere (the source picker, undo): follow it
  useEffect(() => setChosen(null), [mode]);
  const shown = chosen ?? mode;
  const source = sourceOf(value);
  const [draftSource, setDraftSource] = useState({ from: source?.from ?? '', path: source?.path ?? '$' });
  useEffect(() => {
    if (source) setDraftSource({ from: source.from, path: source.path });
  }, [source?.from, source?.path]);
  const js = jsOf(value);
  const [draftJs, setDraftJs] = useState(js ?? '');
  useEffect(() => {
    if (js !== undefined) setDraftJs(js);
  }, [js]);
  const pathInStep = path.map(String);
  const picking = samePath(context.picking, pathInStep);

  const switchTo = (next: ValueMode) => {
    if (next === shown) return;
    setChosen(next);
    if (next === 'constant') onChange(required ? emptyConstant(constant, root) : undefined);
    else if (next === 'js') {
      // a constant becomes the same expression; a source waits for the text
      if (mode === 'constant' && value !== undefined && value !== null && value !== '') {
        const text = JSON.stringify(value);
        setDraftJs(text);
        onChange({ js: text });
      } else setDraftJs(js ?? '');
    } else if (next === 'source') {
      setDraftSource({ from: source?.from ?? '', path: source?.path ?? '$' });
    }
  };

  const constantModel = useMemo(() => buildFieldModel(constant, { key: String(path[path.length - 1] ?? ''), required, root }), [constant, root, path, required]);

  let control: JSX.Element;
  if (shown === 'source') {
    const commit = (from: string, p: string) => {
      setDraftSource({ from, path: p });
      if (from.trim()) onChange(sourceValue({ from: from.trim(), path: p.trim() || '$', meta: source?.meta }));
    };
    control = (
      <div className={`dyn-source${picking ? ' picking' : ''}`}>
        <input className="sf-input dyn-from" aria-label={`${label} source step`} placeholder="step id or variables" value={draftSource.from} spellCheck={false} onChange={(e) => commit(e.target.value, draftSource.path)} />
        <input className="sf-input dyn-path" aria-label={`${label} source path`} placeholder="$" value={draftSource.path} spellCheck={false} onChange={(e) => commit(draftSource.from, e.target.value)} />
        <button type="button" className="sf-button dyn-pick" aria-label={`Pick a source for ${label}`} title="Choose the source in the Source picker (bottom panel)" onClick={() => context.onPick?.(pathInStep)} disabled={!context.onPick}>
          Pick…
        </button>
      </div>
    );
  } else if (shown === 'js') {
    control = (
      <input
        className="sf-input dyn-js"
        aria-label={`${label} expression`}
        placeholder="item.price * 1.2"
        value={draftJs}
        spellCheck={false}
        onChange={(e) => {
          setDraftJs(e.target.value);
          if (e.target.value.trim()) onChange({ js: e.target.value });
        }}
      />
    );
  } else {
    control = <SchemaField model={{ ...constantModel, label }} value={mode === 'constant' ? value : undefined} path={path} onChange={onChange} compact />;
  }

  return (
    <div className={`sf-row dyn-field${picking ? ' dyn-picking' : ''}`} data-property={pathInStep.slice(1).join('.')}>
      <div className="sf-label-line dyn-label-line">
        <label className="sf-label" htmlFor={shown === 'constant' ? fieldId(idPrefix, path) : undefined} id={`${id}-label`}>
          {label}
        </label>
        {required ? (
          <span className="sf-required" aria-hidden="true" title="required">
            *
          </span>
        ) : null}
        {typeHint ? <span className="dyn-type">{typeHint}</span> : null}
        <span className="dyn-modes" role="radiogroup" aria-label={`${label}: kind of value`}>
          {MODES.map((m) => (
            <button
              key={m.id}
              type="button"
              role="radio"
              aria-checked={shown === m.id}
              className={`dyn-mode${shown === m.id ? ' active' : ''}`}
              title={m.title}
              onClick={() => switchTo(m.id)}
            >
              {m.label}
            </button>
          ))}
        </span>
      </div>
      {control}
      {shown === 'source' && source ? <div className="sf-help dyn-now">Reads {describeSource(source)}</div> : null}
      {description ? <div className="sf-help">{description}</div> : null}
    </div>
  );
}

/** A record of dynamic values (a call's variables): one row per callee variable, set or not, plus extra names. */
function DynamicRecordField(props: { label: string; description?: string; path: Path; value: unknown; onChange(value: unknown): void; itemSchema: JsonSchema; root: JsonSchema; context: StepEditContext; callee: Variable[] }): JSX.Element {
  const { label, description, path, value, onChange, itemSchema, root, context, callee } = props;
  const { idPrefix } = useFormContext();
  const obj = isRecord(value) ? value : {};
  const names = [...new Set([...callee.map((v) => v.name), ...Object.keys(obj)])];
  const [adding, setAdding] = useState('');
  const constant = constantSchema(itemSchema, root);
  return (
    <fieldset className="sf-fieldset dyn-record" aria-describedby={description ? `${fieldId(idPrefix, path)}-help` : undefined}>
      <legend className="sf-legend">{label}</legend>
      {description ? (
        <div id={`${fieldId(idPrefix, path)}-help`} className="sf-help">
          {description}
        </div>
      ) : null}
      {names.length === 0 ? <div className="sf-empty">No variables.</div> : null}
      {names.map((name) => {
        const v = callee.find((x) => x.name === name);
        const typed = typedConstant(v?.type);
        const hint = v ? `${v.type ?? 'string'}${v.multivalued ? '[]' : ''}${v.default !== undefined ? ` = ${JSON.stringify(v.default)}` : ''}` : 'not declared';
        return (
          <DynamicField
            key={name}
            label={name}
            required={false}
            description={v?.description}
            typeHint={hint}
            path={[...path, name]}
            value={obj[name]}
            onChange={(next) => onChange(setKey(obj, name, next))}
            constant={typed && !v?.multivalued ? { ...typed, description: undefined } : constant}
            root={root}
            context={context}
          />
        );
      })}
      <div className="dyn-add">
        <input className="sf-input" aria-label={`New ${label.toLowerCase()} name`} placeholder="name" value={adding} spellCheck={false} onChange={(e) => setAdding(e.target.value)} />
        <button
          type="button"
          className="sf-button"
          disabled={!adding.trim() || names.includes(adding.trim())}
          onClick={() => {
            onChange(setKey(obj, adding.trim(), ''));
            setAdding('');
          }}
        >
          + Add
        </button>
      </div>
    </fieldset>
  );
}

/** `transaction` / `sequence` of a call: a choice among the project's transactions or other sequences. */
function TargetField({ label, description, required, path, value, onChange, options }: { label: string; description?: string; required: boolean; path: Path; value: unknown; onChange(v: unknown): void; options: string[] }): JSX.Element {
  const { idPrefix } = useFormContext();
  const id = fieldId(idPrefix, path);
  const text = typeof value === 'string' ? value : '';
  const unknown = text !== '' && !options.includes(text);
  return (
    <FieldRow id={id} label={label} required={required} description={description} error={unknown ? `${text} does not exist in this project` : undefined}>
      <select id={id} className="sf-input sf-select" value={text} onChange={(e) => onChange(e.target.value || undefined)} aria-invalid={unknown || undefined}>
        {text === '' ? <option value="">Choose…</option> : null}
        {unknown ? <option value={text}>{`${text} (missing)`}</option> : null}
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </FieldRow>
  );
}

/** A JS step's `code`: Monaco, with completion of the sources in scope. */
function CodeField({ label, description, required, path, value, onChange, context }: { label: string; description?: string; required: boolean; path: Path; value: unknown; onChange(v: unknown): void; context: StepEditContext }): JSX.Element {
  const { idPrefix } = useFormContext();
  const id = fieldId(idPrefix, path);
  const [sources, setSources] = useState<SourceNodeDto[] | null>(null);
  // fetched when the editor shows and each time it takes the focus (a run or a schema update may have added fields)
  const [generation, setGeneration] = useState(0);
  const { api, dir, sequence, step } = context;
  useEffect(() => {
    let live = true;
    api['sequence.sources']({ project: dir, sequence, step: step.id }).then(
      (r) => live && setSources(r.tree),
      () => live && setSources((s) => s ?? []),
    );
    return () => {
      live = false;
    };
  }, [api, dir, sequence, step.id, generation]);
  return (
    <FieldRow id={id} label={label} required={required} description={description}>
      <JsEditor value={typeof value === 'string' ? value : ''} onChange={(text) => onChange(text)} sources={sources} ariaLabel={`${label} (JavaScript)`} height={180} onFocus={() => setGeneration((g) => g + 1)} />
    </FieldRow>
  );
}

/**
 * A step's props, drawn from its kind's JSON Schema: each property that may be a constant, a source or
 * an expression gets the mode switch (Value / Source with "Pick…" / JS); a call's variables list the
 * callee's variables; a JS step's code is edited in Monaco; the rest are ordinary schema fields.
 */
export function StepPropsForm({ schema, value, onChange, path, idPrefix, errorAt, context }: StepPropsFormProps): JSX.Element {
  const obj = isRecord(value) ? value : {};
  const required = new Set(schema.required ?? []);
  const formContext = useMemo<FormContextValue>(() => ({ idPrefix, errorAt, disabled: false }), [idPrefix, errorAt]);
  const set = (key: string, v: unknown) => onChange(setKey(obj, key, v));
  const properties = Object.entries(schema.properties ?? {});
  const known = new Set(properties.map(([k]) => k));
  const transactions = useMemo(() => context.project.connectors.flatMap((c) => (c.transactions ?? []).map((t) => `${c.name}.${t.name}`)), [context.project]);
  const sequences = useMemo(() => context.project.sequences.map((s) => s.name).filter((n) => n !== context.sequence), [context.project, context.sequence]);
  const callee = useMemo(() => calleeVariables(context.project, { ...context.step, props: obj }), [context.project, context.step, obj]);
  return (
    <FormContext.Provider value={formContext}>
      <div className="sf-form step-props">
        {properties.length === 0 ? <p className="sf-help">This kind has no properties.</p> : null}
        {properties.map(([key, prop]) => {
          const label = prop.title ?? humanize(key);
          const p = [...path, key];
          const isRequired = required.has(key) && prop.default === undefined;
          if (isDynamicSchema(prop))
            return <DynamicField key={key} label={label} description={prop.description} required={isRequired} path={p} value={obj[key]} onChange={(v) => set(key, v)} constant={constantSchema(prop, schema)} root={schema} context={context} />;
          if (isDynamicRecordSchema(prop))
            return (
              <DynamicRecordField
                key={key}
                label={label}
                description={prop.description}
                path={p}
                value={obj[key]}
                onChange={(v) => set(key, v)}
                itemSchema={prop.additionalProperties as JsonSchema}
                root={schema}
                context={context}
                callee={key === 'variables' ? callee : []}
              />
            );
          if (key === 'transaction' && prop.type === 'string')
            return <TargetField key={key} label={label} description={prop.description} required={isRequired} path={p} value={obj[key]} onChange={(v) => set(key, v)} options={transactions} />;
          if (key === 'sequence' && prop.type === 'string')
            return <TargetField key={key} label={label} description={prop.description} required={isRequired} path={p} value={obj[key]} onChange={(v) => set(key, v)} options={sequences} />;
          if (key === 'code' && prop.type === 'string') return <CodeField key={key} label={label} description={prop.description} required={isRequired} path={p} value={obj[key]} onChange={(v) => set(key, v)} context={context} />;
          const model = buildFieldModel(prop, { key, required: required.has(key), root: schema });
          return <SchemaField key={key} model={model} value={obj[key]} path={p} parent={obj} onChange={(v) => set(key, v)} />;
        })}
        {Object.keys(obj)
          .filter((k) => !known.has(k))
          .map((k) => (
            <JsonField key={k} model={{ kind: 'json', key: k, label: humanize(k), hasDefault: false, required: false, readOnly: false, nullable: false }} value={obj[k]} path={[...path, k]} onChange={(v) => set(k, v)} />
          ))}
      </div>
    </FormContext.Provider>
  );
}
