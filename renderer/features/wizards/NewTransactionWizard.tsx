import { useMemo, useRef, useState } from 'react';
import { VARIABLE_TYPES } from '../../../src/model/index.js';
import type { VariableType } from '../../../src/model/index.js';
import { Icon } from '../../icons/icons.js';
import { useStudio, useStudioState } from '../../state/context.js';
import { findConnector, pathParameters, projectOf } from '../../state/model.js';
import { errorMessage } from '../../state/studio.js';
import { Modal } from '../shell/Modal.js';
import { Field, WizardFooter, nameError, parseDefault } from './fields.js';

const FALLBACK_TYPES = ['json', 'xml', 'text', 'binary'];
const FALLBACK_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
const TYPE_LABELS: Record<string, string> = { json: 'JSON', xml: 'XML', text: 'Text', binary: 'Binary' };

interface VariableRow {
  id: number;
  name: string;
  type: VariableType;
  defaultText: string;
  /** added because the path names it: removed again when the path stops naming it */
  fromPath: boolean;
}

function enumOf(schema: unknown, property: string): string[] | null {
  const props = (schema as { properties?: Record<string, { enum?: unknown[] }> } | undefined)?.properties;
  const values = props?.[property]?.enum;
  return Array.isArray(values) && values.every((v) => typeof v === 'string') ? (values as string[]) : null;
}

/** New > Transaction: type, name, method, path and variables (path parameters become variables by themselves). */
export function NewTransactionWizard(props: { project: string; connector: string | null }) {
  const studio = useStudio();
  const state = useStudioState((s) => s.projects[props.project]);
  const kinds = useStudioState((s) => s.kinds);
  const model = state ? projectOf(state) : null;
  const connectors = model?.connectors ?? [];
  const [connectorName, setConnectorName] = useState(props.connector ?? connectors[0]?.name ?? '');
  const connector = model ? findConnector(model, connectorName) : undefined;
  const kind = kinds?.connectors.find((k) => k.kind === connector?.kind);
  const types = kind?.transactionTypes.length ? kind.transactionTypes : FALLBACK_TYPES;
  const methods = enumOf(kind?.transactionSchema, 'method') ?? FALLBACK_METHODS;
  const isHttp = (connector?.kind ?? 'http') === 'http';

  const [type, setType] = useState(types[0] ?? 'json');
  const [name, setName] = useState('');
  const [method, setMethod] = useState('GET');
  const [path, setPath] = useState('');
  const [rows, setRows] = useState<VariableRow[]>([]);
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const nextId = useRef(1);
  const formRef = useRef<HTMLDivElement>(null);

  const onPath = (value: string) => {
    setPath(value);
    const params = pathParameters(value);
    setRows((current) => {
      // a row added for a parameter that the path no longer names goes away (unless the user gave it a default)
      let next = current.filter((r) => !r.fromPath || params.includes(r.name) || r.defaultText !== '');
      for (const p of params) {
        if (!next.some((r) => r.name === p)) next = [...next, { id: nextId.current++, name: p, type: 'string', defaultText: '', fromPath: true }];
      }
      return next;
    });
  };

  const taken = useMemo(() => new Set((connector?.transactions ?? []).map((t) => t.name)), [connector]);
  const nameProblem = nameError(name, 'transaction') ?? (taken.has(name) ? `The connector ${connectorName} already has a transaction ${name}.` : null);
  const pathProblem = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(path.trim()) ? 'The path is relative to the connector (its server and base path), e.g. /items/{id}.' : null;
  const rowProblems = rows.map((r, i) => {
    const n = nameError(r.name, 'variable');
    if (n) return n;
    if (rows.findIndex((o) => o.name === r.name) !== i) return `Two variables are named ${r.name}.`;
    return parseDefault(r.type, r.defaultText).error ?? null;
  });
  const invalid = !!nameProblem || !!pathProblem || rowProblems.some(Boolean) || !connector;

  const finish = async () => {
    if (busy) return;
    setSubmitted(true);
    if (invalid) {
      formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    const params = pathParameters(path);
    const variables = rows.map((r) => {
      const v: Record<string, unknown> = { name: r.name.trim(), type: r.type };
      const d = parseDefault(r.type, r.defaultText);
      if (d.value !== undefined) v.default = d.value;
      if (params.includes(r.name)) v.required = true;
      return v;
    });
    const value: Record<string, unknown> = { name: name.trim(), type, variables };
    if (isHttp) Object.assign(value, { method, path: path.trim() });
    try {
      const result = await studio.api['object.create']({ project: props.project, parent: { type: 'connector', connector: connectorName }, objectType: 'transaction', value });
      studio.objectCreated(props.project, result.ref, result.state);
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };

  const show = (problem: string | null, value: string) => (submitted || value ? problem : null);

  return (
    <Modal
      title="New Transaction"
      subtitle={connector ? `in ${model?.name}/${connectorName}` : undefined}
      onCancel={() => studio.closeDialog()}
      onEnter={() => void finish()}
      className="wizard wizard-wide"
      footer={<WizardFooter page={0} pages={1} busy={busy} onBack={() => {}} onNext={() => void finish()} onCancel={() => studio.closeDialog()} />}
    >
      <div ref={formRef} className="wizard-page">
        {connectors.length > 1 || !props.connector ? (
          <Field label="Connector">
            {({ id }) => (
              <select id={id} value={connectorName} onChange={(e) => setConnectorName(e.target.value)}>
                {connectors.map((c) => (
                  <option key={c.name} value={c.name}>
                    {c.name} ({c.kind})
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : null}
        <fieldset className="field radio-row">
          <legend>Response type</legend>
          <div className="field-control radios">
            {types.map((t) => (
              <label key={t} className="radio">
                <input type="radio" name="tx-type" value={t} checked={type === t} onChange={() => setType(t)} /> {TYPE_LABELS[t] ?? t}
              </label>
            ))}
          </div>
        </fieldset>
        <Field label="Name" error={show(nameProblem, name)} hint="e.g. getItem — letters, digits, _ . -">
          {({ id, describedBy, invalid: bad }) => <input id={id} data-autofocus value={name} spellCheck={false} aria-invalid={bad} aria-describedby={describedBy} onChange={(e) => setName(e.target.value)} />}
        </Field>
        {isHttp ? (
          <>
            <Field label="Method">
              {({ id }) => (
                <select id={id} className="narrow" value={method} onChange={(e) => setMethod(e.target.value)}>
                  {methods.map((m) => (
                    <option key={m}>{m}</option>
                  ))}
                </select>
              )}
            </Field>
            <Field label="Path" error={pathProblem} hint={<>After the connector’s base path. <code>{'{name}'}</code> is replaced by the variable of that name.</>}>
              {({ id, describedBy, invalid: bad }) => <input id={id} value={path} placeholder="/items/{id}" spellCheck={false} aria-invalid={bad} aria-describedby={describedBy} onChange={(e) => onPath(e.target.value)} />}
            </Field>
          </>
        ) : null}
        <div className="field variables-field">
          <span className="field-label" id="tx-variables-label">
            Variables
          </span>
          <div className="field-control">
            <table className="grid-table" aria-labelledby="tx-variables-label">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Type</th>
                  <th scope="col">Default</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.length === 0 ? (
                  <tr>
                    <td colSpan={4} className="empty-cell">
                      No variables. Add one, or write <code>{'{name}'}</code> in the path.
                    </td>
                  </tr>
                ) : null}
                {rows.map((r, i) => {
                  const problem = submitted || r.name ? rowProblems[i] : null;
                  const update = (patch: Partial<VariableRow>) => setRows((all) => all.map((o) => (o.id === r.id ? { ...o, ...patch } : o)));
                  return (
                    <tr key={r.id} className={problem ? 'row-invalid' : undefined}>
                      <td>
                        <input aria-label={`Variable ${i + 1} name`} value={r.name} spellCheck={false} aria-invalid={!!problem && !!(nameError(r.name, 'variable') || rows.findIndex((o) => o.name === r.name) !== i)} onChange={(e) => update({ name: e.target.value, fromPath: false })} />
                        {r.fromPath ? <span className="badge" title="Named in the path">path</span> : null}
                      </td>
                      <td>
                        <select aria-label={`Variable ${r.name || i + 1} type`} value={r.type} onChange={(e) => update({ type: e.target.value as VariableType })}>
                          {VARIABLE_TYPES.map((t) => (
                            <option key={t}>{t}</option>
                          ))}
                        </select>
                      </td>
                      <td>
                        <input aria-label={`Variable ${r.name || i + 1} default`} value={r.defaultText} spellCheck={false} aria-invalid={!!parseDefault(r.type, r.defaultText).error} onChange={(e) => update({ defaultText: e.target.value })} />
                      </td>
                      <td>
                        <button type="button" className="icon-button" aria-label={`Remove variable ${r.name || i + 1}`} title="Remove" onClick={() => setRows((all) => all.filter((o) => o.id !== r.id))}>
                          <Icon name="close" />
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            {rowProblems.map((p, i) =>
              p && (submitted || rows[i]?.name) ? (
                <div key={rows[i]!.id} className="field-error" role="alert">
                  Variable {i + 1}: {p}
                </div>
              ) : null,
            )}
            <button type="button" className="small-button" onClick={() => setRows((all) => [...all, { id: nextId.current++, name: '', type: 'string', defaultText: '', fromPath: false }])}>
              <Icon name="plus" /> Add variable
            </button>
          </div>
        </div>
        {error ? (
          <div className="error-panel" role="alert">
            <Icon name="error" /> <span>{error}</span>
          </div>
        ) : null}
      </div>
    </Modal>
  );
}
