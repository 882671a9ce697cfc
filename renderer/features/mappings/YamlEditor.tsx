import { Suspense, lazy } from 'react';
import type { JSX } from 'react';

export interface YamlMarker {
  line: number;
  col: number;
  message: string;
  severity: 'error' | 'warning';
}

export interface YamlEditorProps {
  value: string;
  onChange(value: string): void;
  ariaLabel: string;
  markers: readonly YamlMarker[];
  /** move the cursor there and focus; `n` changes on every request so the same line can be revealed twice */
  reveal: { line: number; col: number; n: number } | null;
}

const MonacoYamlEditor = lazy(() => import('./MonacoYamlEditor.js'));

/** YAML text in Monaco with problems marked; a text area until Monaco has loaded. */
export function YamlEditor(props: YamlEditorProps): JSX.Element {
  return (
    <Suspense fallback={<textarea className="mappings-fallback" aria-label={props.ariaLabel} value={props.value} spellCheck={false} onChange={(e) => props.onChange(e.target.value)} />}>
      <MonacoYamlEditor {...props} />
    </Suspense>
  );
}
