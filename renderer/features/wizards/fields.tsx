import { useId } from 'react';
import type { ReactNode } from 'react';
import { NAME_PATTERN } from '../../../src/model/index.js';
import type { VariableType } from '../../../src/model/index.js';

/** A labelled field with its hint and its inline error (announced, and tied by aria-describedby). */
export function Field(props: {
  label: string;
  hint?: ReactNode;
  error?: string | null;
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ReactNode;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [props.error ? errorId : null, props.hint ? hintId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${props.error ? ' has-error' : ''}`}>
      <label htmlFor={id}>{props.label}</label>
      <div className="field-control">
        {props.children({ id, describedBy, invalid: !!props.error })}
        {props.error ? (
          <div className="field-error" id={errorId} role="alert">
            {props.error}
          </div>
        ) : null}
        {props.hint ? (
          <div className="field-hint" id={hintId}>
            {props.hint}
          </div>
        ) : null}
      </div>
    </div>
  );
}

export function nameError(name: string, what: string): string | null {
  if (!name.trim()) return `The ${what} name is required.`;
  if (!NAME_PATTERN.test(name)) return `A ${what} name starts with a letter or _ and holds only letters, digits, _ . - (no spaces).`;
  if (name.length > 128) return `A ${what} name is at most 128 characters.`;
  return null;
}

/** Turns the text typed as a default value into a value of the variable's type, or says why it cannot. */
export function parseDefault(type: VariableType, text: string): { value?: unknown; error?: string } {
  const t = text.trim();
  if (t === '') return {};
  switch (type) {
    case 'integer':
      return /^[-+]?\d+$/.test(t) && Number.isSafeInteger(Number(t)) ? { value: Number(t) } : { error: `"${text}" is not an integer` };
    case 'number':
      return t !== '' && Number.isFinite(Number(t)) ? { value: Number(t) } : { error: `"${text}" is not a number` };
    case 'boolean':
      if (/^(true|yes|1|on)$/i.test(t)) return { value: true };
      if (/^(false|no|0|off)$/i.test(t)) return { value: false };
      return { error: `"${text}" is not true or false` };
    case 'json':
      try {
        return { value: JSON.parse(t) };
      } catch (e) {
        return { error: `not valid JSON: ${(e as Error).message}` };
      }
    default:
      return { value: text };
  }
}

/** Buttons of a wizard: Back, Next or Finish, Cancel. */
export function WizardFooter(props: { page: number; pages: number; busy?: boolean; onBack: () => void; onNext: () => void; onCancel: () => void; finishLabel?: string }) {
  const last = props.page === props.pages - 1;
  return (
    <>
      <button type="button" onClick={props.onCancel}>
        Cancel
      </button>
      {props.pages > 1 ? (
        <button type="button" onClick={props.onBack} disabled={props.page === 0 || props.busy}>
          Back
        </button>
      ) : null}
      <button type="button" className="primary" onClick={props.onNext} disabled={props.busy}>
        {last ? (props.busy ? 'Working…' : (props.finishLabel ?? 'Finish')) : 'Next'}
      </button>
    </>
  );
}

/** The progress of a multi-page wizard, for screen readers and the eye. */
export function WizardSteps(props: { titles: string[]; page: number }) {
  return (
    <ol className="wizard-steps" aria-label="Wizard steps">
      {props.titles.map((title, i) => (
        <li key={title} className={i === props.page ? 'current' : i < props.page ? 'done' : ''} aria-current={i === props.page ? 'step' : undefined}>
          <span className="wizard-step-number">{i + 1}</span> {title}
        </li>
      ))}
    </ol>
  );
}
