import { Suspense, lazy } from 'react';
import type { JSX } from 'react';
import type { SourceNodeDto } from '../../../src/contract/index.js';

export interface JsEditorProps {
  value: string;
  onChange(value: string): void;
  /** the sources in scope of the step (sequence.sources), offered as completions */
  sources: readonly SourceNodeDto[] | null;
  ariaLabel: string;
  height?: number;
  /** the editor got the focus (the sources in scope may have changed: fetch them again) */
  onFocus?: () => void;
}

const loadMonaco = () => import('./MonacoJsEditor.js');
const MonacoJsEditor = lazy(loadMonaco);

/**
 * A JS step's code in Monaco, with completion of the sources in scope: variables, `steps.<id>` and
 * their fields from the output schemas, `item` and `index` inside an Iterate. Until Monaco has loaded,
 * a plain text area edits the same text.
 */
export function JsEditor(props: JsEditorProps): JSX.Element {
  return (
    <div className="js-editor" style={{ height: props.height ?? 200 }}>
      <Suspense
        fallback={
          <textarea className="sf-input sf-textarea sf-json js-editor-fallback" aria-label={props.ariaLabel} value={props.value} spellCheck={false} onChange={(e) => props.onChange(e.target.value)} />
        }
      >
        <MonacoJsEditor {...props} />
      </Suspense>
    </div>
  );
}
