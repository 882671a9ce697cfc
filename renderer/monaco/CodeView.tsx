import { Suspense, lazy } from 'react';
import type { JSX } from 'react';

export interface CodeViewProps {
  value: string;
  language: 'json' | 'xml' | 'text';
  readOnly?: boolean;
  /** CSS height (default 100%: the parent decides) */
  height?: number | string;
  /** the editor's accessible name */
  ariaLabel: string;
}

const loadMonaco = () => import('./MonacoCodeView.js');
const MonacoCodeView = lazy(loadMonaco);

/** Starts loading Monaco (a large chunk) ahead of the first CodeView, e.g. when a run starts. */
export function preloadCodeView(): void {
  void loadMonaco().catch(() => undefined);
}

/**
 * Code in a Monaco editor (read-only by default), themed like the studio. Monaco loads on first use;
 * until then the text shows as plain preformatted text.
 */
export function CodeView(props: CodeViewProps): JSX.Element {
  return (
    <div className="code-view" style={{ height: props.height ?? '100%' }}>
      <Suspense
        fallback={
          <pre className="code-fallback" aria-label={props.ariaLabel}>
            {props.value}
          </pre>
        }
      >
        <MonacoCodeView {...props} height="100%" />
      </Suspense>
    </div>
  );
}
