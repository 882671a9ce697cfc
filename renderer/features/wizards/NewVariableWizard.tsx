import { useState } from 'react';
import { VARIABLE_TYPES } from '../../../src/model/index.js';
import type { VariableType } from '../../../src/model/index.js';
import { Icon } from '../../icons/icons.js';
import { useStudio, useStudioState } from '../../state/context.js';
import { findTransaction, projectOf } from '../../state/model.js';
import { errorMessage } from '../../state/studio.js';
import { Modal } from '../shell/Modal.js';
import { Field, WizardFooter, nameError, parseDefault } from './fields.js';

/** New > Variable under a transaction: name, type, default, required, description. */
export function NewVariableWizard(props: { project: string; connector: string; transaction: string }) {
  const studio = useStudio();
  const state = useStudioState((s) => s.projects[props.project]);
  const tx = state ? findTransaction(projectOf(state), props.connector, props.transaction) : undefined;
  const [name, setName] = useState('');
  const [type, setType] = useState<VariableType>('string');
  const [defaultText, setDefaultText] = useState('');
  const [required, setRequired] = useState(false);
  const [description, setDescription] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const taken = new Set((tx?.variables ?? []).map((v) => v.name));
  const nameProblem = nameError(name, 'variable') ?? (taken.has(name) ? `${props.transaction} already has a variable ${name}.` : null);
  const parsed = parseDefault(type, defaultText);

  const finish = async () => {
    if (busy) return;
    setSubmitted(true);
    if (nameProblem || parsed.error) return;
    setBusy(true);
    setError(null);
    const value: Record<string, unknown> = { name: name.trim(), type };
    if (parsed.value !== undefined) value.default = parsed.value;
    if (required) value.required = true;
    if (description.trim()) value.description = description.trim();
    try {
      const result = await studio.api['object.create']({
        project: props.project,
        parent: { type: 'transaction', connector: props.connector, transaction: props.transaction },
        objectType: 'variable',
        value,
      });
      studio.objectCreated(props.project, result.ref, result.state);
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };

  return (
    <Modal
      title="New Variable"
      subtitle={`of ${props.connector}.${props.transaction}`}
      onCancel={() => studio.closeDialog()}
      onEnter={() => void finish()}
      className="wizard"
      footer={<WizardFooter page={0} pages={1} busy={busy} onBack={() => {}} onNext={() => void finish()} onCancel={() => studio.closeDialog()} />}
    >
      <div className="wizard-page">
        <Field label="Name" error={submitted || name ? nameProblem : null}>
          {({ id, describedBy, invalid }) => <input id={id} data-autofocus value={name} spellCheck={false} aria-invalid={invalid} aria-describedby={describedBy} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label="Type">
          {({ id }) => (
            <select id={id} className="narrow" value={type} onChange={(e) => setType(e.target.value as VariableType)}>
              {VARIABLE_TYPES.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Default" error={parsed.error ?? null} hint="Used when a call gives no value (optional).">
          {({ id, describedBy, invalid }) => <input id={id} value={defaultText} spellCheck={false} aria-invalid={invalid} aria-describedby={describedBy} onChange={(e) => setDefaultText(e.target.value)} />}
        </Field>
        <div className="field">
          <span />
          <label className="checkbox">
            <input type="checkbox" checked={required} onChange={(e) => setRequired(e.target.checked)} /> Required
          </label>
        </div>
        <Field label="Description">
          {({ id }) => <textarea id={id} rows={3} value={description} onChange={(e) => setDescription(e.target.value)} />}
        </Field>
        {error ? (
          <div className="error-panel" role="alert">
            <Icon name="error" /> <span>{error}</span>
          </div>
        ) : null}
      </div>
    </Modal>
  );
}
