import { useMemo, useState } from 'react';
import { Icon } from '../../../icons/icons.js';
import type { ImportProblem } from '../import-openapi/import-errors.js';
import { problemTitle } from '../import-openapi/import-errors.js';

/**
 * What the import wizards (OpenAPI, WSDL) show about a document's defects: the error panel beside the
 * source, and the lists of warnings and skipped operations of a preview.
 */

/** Long lists of warnings show this many at a time. */
const LIST_PAGE = 200;

export interface ImportIssue {
  message: string;
  file?: string;
  pointer?: string;
  line?: number;
  rule?: string;
}

export function dirnameOf(path: string): string {
  const m = /^(.*)[\\/][^\\/]*$/.exec(path);
  return m ? m[1] || '/' : '';
}

export function where(problem: { file?: string; pointer?: string; line?: number; col?: number }, base = ''): string {
  const at = problem.pointer !== undefined ? `#${problem.pointer}` : problem.line !== undefined ? `:${problem.line}${problem.col !== undefined ? `:${problem.col}` : ''}` : '';
  const file = problem.file ?? '';
  return `${base && file.startsWith(base) ? file.slice(base.length) : file}${at}`;
}

/** A warning's message without the "file#pointer: " (or "file:line: ") it starts with (shown on its own line below it). */
function warningText(w: ImportIssue): string {
  const prefixes = [`${where(w)}: `, ...(w.file && w.line !== undefined ? [`${w.file}:${w.line}: `] : [])];
  const prefix = w.file ? prefixes.find((p) => w.message.startsWith(p)) : undefined;
  const text = prefix ? w.message.slice(prefix.length) : w.message;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The error beside the source: what, where (file, JSON pointer or element, line) and the rule broken. */
export function ProblemPanel(props: { problem: ImportProblem; pointerLabel?: string; /** what the document is called: spec (default), WSDL */ document?: string }) {
  const { problem } = props;
  const title = props.document ? problemTitle(problem).replace(/\bspec\b/, props.document) : problemTitle(problem);
  const located = problem.file || problem.pointer !== undefined || problem.line !== undefined;
  return (
    <div className="error-panel import-problem" role="alert" aria-label={title}>
      <Icon name="error" />
      <div className="import-problem-body">
        <strong>{title}</strong>
        {problem.reason ? null : <div className="import-problem-message">{problem.message}</div>}
        {located ? (
          <dl className="import-problem-where">
            {problem.file ? (
              <>
                <dt>File</dt>
                <dd>
                  <code>{problem.file}</code>
                </dd>
              </>
            ) : null}
            {problem.pointer !== undefined ? (
              <>
                <dt>{props.pointerLabel ?? 'JSON pointer'}</dt>
                <dd>
                  <code>{problem.pointer || '/'}</code>
                </dd>
              </>
            ) : null}
            {problem.line !== undefined ? (
              <>
                <dt>Line</dt>
                <dd>
                  {problem.line}
                  {problem.col !== undefined ? `, column ${problem.col}` : ''}
                </dd>
              </>
            ) : null}
            {problem.reason ? (
              <>
                <dt>Reason</dt>
                <dd>{problem.reason}</dd>
              </>
            ) : null}
            {problem.rule ? (
              <>
                <dt>Rule</dt>
                <dd>{problem.rule}</dd>
              </>
            ) : null}
          </dl>
        ) : null}
      </div>
    </div>
  );
}

/** Warnings with the file (relative to the document's folder), place and rule each one is about. */
export function WarningsList(props: { warnings: readonly ImportIssue[]; base?: string; empty?: string }) {
  const [shown, setShown] = useState(LIST_PAGE);
  const byRule = useMemo(() => {
    const counts = new Map<string, number>();
    for (const w of props.warnings) if (w.rule) counts.set(w.rule, (counts.get(w.rule) ?? 0) + 1);
    return [...counts].sort((a, b) => b[1] - a[1]);
  }, [props.warnings]);
  if (props.warnings.length === 0) return <p className="empty-state">{props.empty ?? 'No warning: the spec follows the standard where the import reads it.'}</p>;
  const base = props.base ? `${props.base}/` : '';
  return (
    <>
      {props.warnings.length > 10 && byRule.length ? (
        <p className="import-rules-summary">
          Most often:{' '}
          {byRule.slice(0, 3).map(([rule, n], i) => (
            <span key={rule}>
              {i ? ' · ' : ''}
              <strong>{n.toLocaleString('en-US')}</strong> × {rule}
            </span>
          ))}
        </p>
      ) : null}
      <ul className="import-issues" aria-label="Warnings">
        {props.warnings.slice(0, shown).map((w, i) => (
          <li key={i} className="import-issue">
            <Icon name="warning" className="import-issue-icon-warning" />
            <div>
              <div className="import-issue-message">{warningText(w)}</div>
              {w.file || w.pointer || w.rule ? (
                <div className="import-issue-where">
                  {w.file || w.pointer ? <code title={where(w)}>{where(w, base)}</code> : null}
                  {w.rule ? <span className="import-issue-rule">{w.rule}</span> : null}
                </div>
              ) : null}
            </div>
          </li>
        ))}
        {props.warnings.length > shown ? (
          <li className="import-issue-more">
            <button type="button" className="link-button" onClick={() => setShown(shown + LIST_PAGE)}>
              Show {Math.min(LIST_PAGE, props.warnings.length - shown)} more of {props.warnings.length - shown}
            </button>
          </li>
        ) : null}
      </ul>
    </>
  );
}

/** Operations the import leaves out, with why. */
export function SkippedList(props: { skipped: ReadonlyArray<{ operation: string; reason: string }> }) {
  if (props.skipped.length === 0) return <p className="empty-state">No operation is skipped.</p>;
  return (
    <ul className="import-issues" aria-label="Skipped operations">
      {props.skipped.map((s, i) => (
        <li key={i} className="import-issue">
          <Icon name="info" />
          <div>
            <div className="import-issue-message">
              <code>{s.operation}</code>
            </div>
            <div className="import-issue-where">{s.reason}</div>
          </div>
        </li>
      ))}
    </ul>
  );
}
