import { useEffect, useRef, useState } from 'react';
import type { JSX } from 'react';

export interface NameFieldProps {
  id: string;
  label: string;
  name: string;
  /** the message for an invalid name, as it is typed */
  validate(text: string): string | undefined;
  /** renames; resolves to the engine's message when it refused */
  onRename(name: string): Promise<string | undefined>;
  disabled?: boolean;
}

/**
 * The object's name: renamed through object.rename on Enter or blur (never on each key). Escape puts
 * the current name back. A refused name stays in the field with the engine's message.
 */
export function NameField({ id, label, name, validate, onRename, disabled }: NameFieldProps): JSX.Element {
  const [text, setText] = useState(name);
  const [engineError, setEngineError] = useState<{ text: string; message: string }>();
  const [busy, setBusy] = useState(false);
  const focused = useRef(false);
  const submitted = useRef<string | null>(null);

  useEffect(() => {
    if (!focused.current) {
      setText(name);
      setEngineError(undefined);
    }
  }, [name]);

  const local = validate(text);
  const error = local ?? (engineError && engineError.text === text ? engineError.message : undefined);

  const submit = async () => {
    const wanted = text;
    if (wanted === name || local || busy || submitted.current === wanted) return;
    submitted.current = wanted;
    setBusy(true);
    try {
      const message = await onRename(wanted);
      setEngineError(message ? { text: wanted, message } : undefined);
    } finally {
      setBusy(false);
      submitted.current = null;
    }
  };

  return (
    <div className={`sf-row pe-name${error ? ' sf-invalid' : ''}`}>
      <div className="sf-label-line">
        <label htmlFor={id} className="sf-label">
          {label}
        </label>
        <span className="sf-required" aria-hidden="true">
          *
        </span>
        {busy && <span className="pe-busy">renaming…</span>}
      </div>
      <input
        id={id}
        type="text"
        className="sf-input"
        value={text}
        autoComplete="off"
        spellCheck={false}
        disabled={disabled}
        aria-required="true"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : `${id}-help`}
        onFocus={() => {
          focused.current = true;
        }}
        onBlur={() => {
          focused.current = false;
          void submit();
        }}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            void submit();
          } else if (e.key === 'Escape') {
            e.preventDefault();
            setText(name);
            setEngineError(undefined);
          }
        }}
      />
      {error ? (
        <div id={`${id}-error`} className="sf-error">
          {error}
        </div>
      ) : (
        <div id={`${id}-help`} className="sf-help">
          Press Enter to rename.
        </div>
      )}
    </div>
  );
}
