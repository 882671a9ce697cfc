import type { ReactNode } from 'react';
import { Icon } from '../../../icons/icons.js';
import { plural } from '../import-openapi/operations-model.js';
import { WarningsList, type ImportIssue } from './ImportIssues.js';

/** The parts of the import wizards' pages that do not depend on the document's format (OpenAPI, WSDL). */

export interface PreviewTabInfo<T extends string> {
  id: T;
  label: string;
  count: number;
}

/** The preview's tabs (Operations, Warnings, ...): arrows move between them, as in any tab list. */
export function PreviewTabs<T extends string>(props: { tabs: PreviewTabInfo<T>[]; active: T; onSelect: (id: T) => void }) {
  const { tabs, active } = props;
  return (
    <div className="import-tabs" role="tablist" aria-label="Preview">
      {tabs.map((t) => (
        <button
          key={t.id}
          type="button"
          role="tab"
          id={`import-tab-${t.id}`}
          aria-selected={active === t.id}
          aria-controls={`import-tabpanel-${t.id}`}
          tabIndex={active === t.id ? 0 : -1}
          className={`import-tab${active === t.id ? ' active' : ''}`}
          onClick={() => props.onSelect(t.id)}
          onKeyDown={(e) => {
            if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
            e.preventDefault();
            const i = tabs.findIndex((x) => x.id === active);
            const to = tabs[(i + (e.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length]!;
            props.onSelect(to.id);
            document.getElementById(`import-tab-${to.id}`)?.focus();
          }}
        >
          {t.id === 'warnings' && t.count > 0 ? <Icon name="warning" className="import-issue-icon-warning" /> : null}
          {t.label} <span className="import-count">{t.count.toLocaleString('en-US')}</span>
        </button>
      ))}
    </div>
  );
}

/** The last page: what was imported into which connector, and how to keep or take it back. */
export function ImportResultSummary(props: { result: { connector: string; imported: number; skipped: number; warnings: readonly ImportIssue[] }; kind: string; base?: string; hint?: ReactNode }) {
  const { result } = props;
  return (
    <>
      <p className="import-done">
        <Icon name="connector" className="kind-icon-connector" />
        <span>
          {plural(result.imported, 'operation')} imported into the {props.kind}connector <strong>{result.connector}</strong>.
        </span>
      </p>
      <dl className="summary" aria-label="Import result">
        <dt>Imported</dt>
        <dd>{plural(result.imported, 'transaction')}</dd>
        <dt>Skipped</dt>
        <dd>{result.skipped.toLocaleString('en-US')}</dd>
        <dt>Warnings</dt>
        <dd>{result.warnings.length.toLocaleString('en-US')}</dd>
      </dl>
      <p className="hint">
        The import is an edit of the project: Save (Ctrl+S) writes <code>connectors/{result.connector}.yaml</code>, Undo (Ctrl+Z) takes it back. Select a transaction and press F5 to run it{props.hint ? '; ' : '.'}
        {props.hint}
      </p>
      {result.warnings.length ? (
        <details className="import-result-warnings">
          <summary>Warnings ({result.warnings.length.toLocaleString('en-US')})</summary>
          <WarningsList warnings={result.warnings} base={props.base} />
        </details>
      ) : null}
    </>
  );
}

/** The wizard's buttons: Cancel · Back · Next / Import N while choosing; Close · Open connector at the end. */
export function ImportFooter(props: {
  page: number;
  busy: 'preview' | 'import' | null;
  selected: number;
  pageError: string | null;
  notice: string | null;
  onCancel: () => void;
  onBack: () => void;
  onNext: () => void;
  onClose: () => void;
  onOpen: () => void;
}) {
  if (props.page === 2)
    return (
      <>
        <button type="button" onClick={props.onClose}>
          Close
        </button>
        <button type="button" className="primary" onClick={props.onOpen}>
          Open connector
        </button>
      </>
    );
  return (
    <>
      {props.pageError ? (
        <span className="footer-note import-footer-error" role="alert">
          {props.pageError}
        </span>
      ) : props.notice ? (
        <span className="footer-note" role="status">
          {props.notice}
        </span>
      ) : null}
      <button type="button" onClick={props.onCancel}>
        Cancel
      </button>
      <button type="button" onClick={props.onBack} disabled={props.page === 0 || !!props.busy}>
        Back
      </button>
      <button type="button" className="primary" onClick={props.onNext} disabled={props.busy === 'import' || (props.page === 1 && props.selected === 0)}>
        {props.page === 1 ? (props.busy === 'import' ? 'Importing…' : `Import ${props.selected.toLocaleString('en-US')}`) : props.busy === 'preview' ? 'Reading…' : 'Next'}
      </button>
    </>
  );
}
