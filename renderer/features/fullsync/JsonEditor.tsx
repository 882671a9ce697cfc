import { Suspense, lazy } from 'react';
import type { JSX } from 'react';

export interface JsonEditorProps {
  value: string;
  onChange(value: string): void;
  ariaLabel: string;
  /** the error to mark in the text (from checkDocumentText) */
  error?: { line: number; col: number; message: string } | null;
}

const MonacoJsonEditor = lazy(() => import('./MonacoJsonEditor.js'));

/** A document's JSON in Monaco, with the parse error marked; a text area until Monaco has loaded. */
export function JsonEditor(props: JsonEditorProps): JSX.Element {
  return (
    <div className="fs-json-editor">
      <Suspense fallback={<textarea className="fs-fallback" aria-label={props.ariaLabel} value={props.value} spellCheck={false} onChange={(e) => props.onChange(e.target.value)} />}>
        <MonacoJsonEditor {...props} />
      </Suspense>
    </div>
  );
}
