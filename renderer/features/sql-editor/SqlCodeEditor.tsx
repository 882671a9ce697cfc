import { Suspense, lazy } from 'react';
import type { JSX } from 'react';
import type { SqlCompletionContext } from './sql-completion.js';
import type { SqlRunError } from './sql-run-errors.js';

export interface SqlEditorProps {
  value: string;
  onChange(value: string): void;
  /** what completion offers now: the database structure (when loaded) and the variables */
  context: () => SqlCompletionContext;
  ariaLabel: string;
  /** the last run's error with its offset in the statement, underlined */
  error: SqlRunError | null;
}

const loadMonaco = () => import('./MonacoSqlEditor.js');
const MonacoSqlEditor = lazy(loadMonaco);

/** A SQL statement in Monaco (highlighting, completion); a plain text area edits it until Monaco has loaded. */
export function SqlCodeEditor(props: SqlEditorProps): JSX.Element {
  return (
    <Suspense fallback={<textarea className="sqle-fallback" aria-label={props.ariaLabel} value={props.value} spellCheck={false} onChange={(e) => props.onChange(e.target.value)} />}>
      <MonacoSqlEditor {...props} />
    </Suspense>
  );
}
