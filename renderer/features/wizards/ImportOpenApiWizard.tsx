import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { OpenApiPreview, Result } from '../../../src/contract/index.js';
import { Icon } from '../../icons/icons.js';
import { useStudio, useStudioState } from '../../state/context.js';
import { findConnector, projectOf } from '../../state/model.js';
import { loadPreference, savePreference } from '../../state/preferences.js';
import { FolderPicker } from '../folder-picker/FolderPicker.js';
import { Modal } from '../shell/Modal.js';
import { Field, WizardSteps, nameError } from './fields.js';
import { describeImportError } from './import-openapi/import-errors.js';
import type { ImportProblem } from './import-openapi/import-errors.js';
import { changeCounts, groupByTag, plural } from './import-openapi/operations-model.js';
import type { OperationGroup } from './import-openapi/operations-model.js';
import { OperationsList } from './import-openapi/OperationsList.js';
import { TaskProgress, newTaskId } from './import-openapi/TaskProgress.js';
import type { RunningTask } from './import-openapi/TaskProgress.js';
import './import-openapi/import-openapi.css';
import { ImportFooter, ImportResultSummary, PreviewTabs } from './import-shared/ImportParts.js';
import { ProblemPanel, SkippedList, WarningsList, dirnameOf } from './import-shared/ImportIssues.js';
import { revealConnector, useImportTasks } from './import-shared/use-import-tasks.js';

const PAGES = ['Source', 'Operations', 'Result'];
const SPEC_EXTENSIONS = ['.json', '.yaml', '.yml'];
/** Specs with more operations than this open with their tag groups collapsed. */
const EXPAND_LIMIT = 150;

type PreviewTab = 'operations' | 'warnings' | 'skipped' | 'removed';

interface Task extends RunningTask {
  kind: 'preview' | 'import';
  source: string;
  connector?: string;
}

interface PreviewState {
  source: string;
  /** the name the preview was asked for (undefined: from the spec's title) */
  asked?: string;
  result: OpenApiPreview;
}

type ImportResult = Result<'openapi.import'>;

function looksComplete(source: string): boolean {
  const s = source.trim();
  return /^https?:\/\/[^/\s]+\/\S+/i.test(s) || SPEC_EXTENSIONS.some((e) => s.toLowerCase().endsWith(e));
}

/**
 * Import > REST WS reference (OpenAPI): an OpenAPI 3.x / Swagger 2.0 document (a file on the engine's
 * disk or an http(s) URL) becomes one HTTP connector with a transaction per operation. Page 1 chooses
 * the source, the connector (created or updated) and the server; the preview lists the operations by
 * tag to choose from, with what changes against the existing connector, the warnings and what is
 * skipped; the last page says what was imported. Reading and importing run as engine tasks with
 * progress and Cancel; the renderer only ever holds the (virtualized) preview.
 */
export function ImportOpenApiWizard(props: { project: string; connector?: string }) {
  const studio = useStudio();
  const projectState = useStudioState((s) => s.projects[props.project]);
  const model = projectState ? projectOf(projectState) : null;
  const [page, setPage] = useState(0);
  const [source, setSource] = useState('');
  const [connector, setConnector] = useState(props.connector ?? '');
  const [connectorEdited, setConnectorEdited] = useState(!!props.connector);
  const [server, setServer] = useState<number | null>(null);
  const [preview, setPreview] = useState<PreviewState | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [filter, setFilter] = useState('');
  const [tab, setTab] = useState<PreviewTab>('operations');
  const [problem, setProblem] = useState<ImportProblem | null>(null);
  const [pageError, setPageError] = useState<string | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [picking, setPicking] = useState(false);
  const { task, setTask, taskRef, seq, advanceRef, progress, cancelling, setCancelling, notice, setNotice, pageRef, focusField, cancelTask } = useImportTasks<Task>(studio, page, 'Reading the spec was cancelled.');

  const previewResult = preview?.result ?? null;
  const groups = useMemo<OperationGroup[]>(() => (previewResult ? groupByTag(previewResult.operations) : []), [previewResult]);
  const src = source.trim();
  const name = connector.trim();
  const previewMatches = !!preview && preview.source === src && (name === '' || name === preview.result.connector);


  // the spec is chosen: Enter now means Next (after the picker gave the focus back to Browse…)
  const picked = useRef(false);
  useEffect(() => {
    if (picking || !picked.current) return;
    picked.current = false;
    document.querySelector<HTMLElement>('.import-wizard .modal-footer .primary')?.focus();
  }, [picking]);


  /** Reads the spec (openapi.preview) with progress; `advance` goes to the preview page when done. */
  const analyze = async (advance: boolean, from: { source?: string; connector?: string; server?: number | null } = {}) => {
    const s = (from.source ?? source).trim();
    const asked = ('connector' in from ? from.connector : name) || undefined;
    const srv = 'server' in from ? from.server : server;
    setPageError(null);
    if (!s) {
      setProblem({ field: 'source', code: 'REQUIRED', message: 'Choose the spec file (Browse…) or type its http(s) URL.' });
      focusField('source');
      return;
    }
    if (asked && nameError(asked, 'connector')) {
      focusField('connector');
      return;
    }
    const running = taskRef.current;
    if (running?.kind === 'preview' && running.source === s && running.connector === asked) {
      if (advance) advanceRef.current = true;
      return;
    }
    if (running?.kind === 'import') return;
    if (running) cancelTask(running, true);
    const t: Task = { kind: 'preview', taskId: newTaskId('openapi-preview'), title: 'Reading the spec', startedAt: Date.now(), source: s, connector: asked };
    const id = ++seq.current;
    advanceRef.current = advance;
    setTask(t);
    setProblem(null);
    setNotice(null);
    try {
      const res = await studio.api['openapi.preview']({ project: props.project, source: s, connector: asked, server: srv ?? undefined, taskId: t.taskId });
      if (id !== seq.current) return;
      setPreview({ source: s, asked, result: res });
      if (!connectorEdited || !asked) setConnector(res.connector);
      setSelected(new Set(res.operations.map((o) => o.name)));
      const tags = groupByTag(res.operations).map((g) => g.tag);
      setExpanded(res.operations.length <= EXPAND_LIMIT ? new Set(tags) : new Set());
      setFilter('');
      setTab('operations');
      if (srv != null && srv >= res.servers.length) setServer(null);
      setTask(null);
      if (advanceRef.current) setPage(1);
      advanceRef.current = false;
    } catch (e) {
      if (id !== seq.current) return;
      setTask(null);
      advanceRef.current = false;
      const p = describeImportError(e);
      if (!p) {
        setNotice('Reading the spec was cancelled.');
        return;
      }
      setPreview(null);
      setProblem(p);
      focusField(p.field);
    }
  };

  const runImport = async () => {
    if (!preview || taskRef.current) return;
    if (selected.size === 0) {
      setPageError('Select at least one operation to import.');
      return;
    }
    setPageError(null);
    setNotice(null);
    const all = selected.size === preview.result.operations.length;
    const t: Task = { kind: 'import', taskId: newTaskId('openapi-import'), title: 'Importing', startedAt: Date.now(), source: preview.source, connector: preview.result.connector };
    const id = ++seq.current;
    setTask(t);
    try {
      const res = await studio.api['openapi.import']({
        project: props.project,
        source: preview.source,
        connector: preview.result.connector,
        server: server ?? undefined,
        operations: all ? undefined : preview.result.operations.filter((o) => selected.has(o.name)).map((o) => o.name),
        taskId: t.taskId,
      });
      if (id !== seq.current) return;
      studio.applyState(res.state);
      setResult(res);
      setPage(2);
    } catch (e) {
      if (id !== seq.current) return;
      const p = describeImportError(e);
      if (!p) {
        setNotice('The import was cancelled: the project was not changed.');
        focusField('filter');
      } else {
        setProblem(p);
        setPage(0);
        focusField(p.field);
      }
    } finally {
      if (id === seq.current) {
        setTask(null);
        setCancelling(false);
      }
    }
  };

  const openConnector = () => {
    if (result) revealConnector(studio, props.project, result.connector);
  };

  const close = () => {
    if (task) cancelTask(task, true);
    studio.closeDialog();
  };

  const next = () => {
    if (picking) return;
    if (page === 0) {
      if (task?.kind === 'preview') {
        advanceRef.current = true;
        return;
      }
      if (name && nameError(name, 'connector')) return focusField('connector');
      if (previewMatches) {
        setPage(1);
        return;
      }
      void analyze(true);
    } else if (page === 1) void runImport();
    else openConnector();
  };

  const back = () => {
    if (task) return;
    setPageError(null);
    setNotice(null);
    setPage(Math.max(0, page - 1));
  };

  const chooseSource = (value: string) => {
    setSource(value);
    if (!connectorEdited) setConnector('');
    setServer(null);
    setProblem(null);
    setNotice(null);
    if (taskRef.current?.kind === 'preview') cancelTask(taskRef.current, true);
  };

  // ---- page 1: source ----------------------------------------------------------------------------

  const existing = model && name ? findConnector(model, name) : undefined;
  const connectorProblem = name ? (nameError(name, 'connector') ?? (existing && existing.kind !== 'http' ? `${name} is a ${existing.kind} connector: the import makes or updates an HTTP connector; choose another name.` : null)) : null;
  const connectorHint = !name
    ? 'Named after the spec’s title once it is read; you can change it.'
    : existing
      ? `Updates the existing connector ${name}: new operations are added, changed ones updated, your own edits (renamed variables, defaults, notes) kept.`
      : `Creates a new HTTP connector ${name}.`;
  const servers = previewMatches ? preview.result.servers : [];

  const sourcePage = (
    <>
      <p className="wizard-intro">
        One HTTP connector, with one ready-to-run transaction per operation of an OpenAPI 3.0/3.1 or Swagger 2.0 document (JSON or YAML). Its <code>$ref</code>s to other files and URLs are followed.
      </p>
      <Field label="Spec file or URL" error={problem?.field === 'source' && problem.code === 'REQUIRED' ? problem.message : null} hint="A file on the engine’s disk, or an http(s) URL.">
        {({ id, describedBy, invalid }) => (
          <div className="input-with-button">
            <input
              id={id}
              data-field="source"
              value={source}
              placeholder="/path/to/openapi.yaml or https://example.com/openapi.json"
              aria-invalid={invalid || problem?.field === 'source'}
              aria-describedby={describedBy}
              spellCheck={false}
              autoComplete="off"
              onChange={(e) => chooseSource(e.target.value)}
              onBlur={() => {
                // a complete path or URL is read in the background: the connector name and servers follow
                if (!task && looksComplete(source) && !(preview && preview.source === src) && !problem) void analyze(false);
              }}
            />
            <button type="button" onClick={() => setPicking(true)} disabled={task?.kind === 'import'}>
              <Icon name="open" /> Browse…
            </button>
          </div>
        )}
      </Field>
      <Field label="Connector" error={connectorProblem ?? (problem?.field === 'connector' ? problem.message : null)} hint={connectorHint}>
        {({ id, describedBy, invalid }) => (
          <input
            id={id}
            data-field="connector"
            value={connector}
            placeholder="from the spec’s title"
            aria-invalid={invalid}
            aria-describedby={describedBy}
            spellCheck={false}
            autoComplete="off"
            onChange={(e) => {
              setConnector(e.target.value);
              setConnectorEdited(e.target.value.trim() !== '');
            }}
          />
        )}
      </Field>
      {servers.length > 1 ? (
        <Field label="Server" error={problem?.field === 'server' ? problem.message : null} hint={`The spec lists ${servers.length} servers; the connector calls this one (you can change its address later).`}>
          {({ id, describedBy, invalid }) => (
            <select id={id} data-field="server" value={server ?? 0} aria-invalid={invalid} aria-describedby={describedBy} onChange={(e) => setServer(Number(e.target.value))}>
              {servers.map((url, i) => (
                <option key={`${i}:${url}`} value={i}>
                  {url}
                </option>
              ))}
            </select>
          )}
        </Field>
      ) : servers.length === 1 ? (
        <div className="field">
          <span className="field-label">Server</span>
          <div className="field-control import-server-single">
            <code>{servers[0]}</code>
          </div>
        </div>
      ) : null}
      {previewMatches && !task ? (
        <p className="import-ready">
          <Icon name="info" />
          <span>
            {preview.result.title ? <strong>{preview.result.title}</strong> : 'The spec'}: {plural(preview.result.operations.length, 'operation')}
            {preview.result.skipped.length ? `, ${preview.result.skipped.length} skipped` : ''}
            {preview.result.warnings.length ? `, ${plural(preview.result.warnings.length, 'warning')}` : ''}. Next shows them.
          </span>
        </p>
      ) : null}
      {problem && problem.code !== 'REQUIRED' ? <ProblemPanel problem={problem} /> : null}
    </>
  );

  // ---- page 2: operations --------------------------------------------------------------------------

  const toggle = useCallback((opName: string, checked: boolean) => {
    setSelected((s) => {
      const next = new Set(s);
      if (checked) next.add(opName);
      else next.delete(opName);
      return next;
    });
  }, []);
  const toggleGroup = useCallback(
    (group: OperationGroup, checked: boolean) => {
      const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
      // with a filter, a group's checkbox acts on the operations it shows
      const ops = words.length ? group.operations.filter((op) => words.every((w) => `${op.name} ${op.method} ${op.path} ${op.summary ?? ''} ${op.tags.join(' ')}`.toLowerCase().includes(w))) : group.operations;
      setSelected((s) => {
        const next = new Set(s);
        for (const op of ops) {
          if (checked) next.add(op.name);
          else next.delete(op.name);
        }
        return next;
      });
    },
    [filter],
  );
  const expand = useCallback((tag: string, open: boolean) => {
    setExpanded((s) => {
      const next = new Set(s);
      if (open) next.add(tag);
      else next.delete(tag);
      return next;
    });
  }, []);

  let operationsPage = null;
  if (previewResult) {
    const total = previewResult.operations.length;
    const counts = changeCounts(previewResult.operations);
    const serverUrl = previewResult.servers[server ?? 0];
    const specDir = dirnameOf(preview!.source);
    const tabs: { id: PreviewTab; label: string; count: number }[] = [
      { id: 'operations', label: 'Operations', count: total },
      { id: 'warnings', label: 'Warnings', count: previewResult.warnings.length },
      { id: 'skipped', label: 'Skipped', count: previewResult.skipped.length },
    ];
    if (previewResult.exists) tabs.push({ id: 'removed', label: 'Removed', count: previewResult.removed.length });
    operationsPage = (
      <>
        <dl className="import-summary" aria-label="Import summary">
          <dt>Connector</dt>
          <dd>
            <strong>{previewResult.connector}</strong>{' '}
            {previewResult.exists ? (
              <span className="badge op-change op-change-updated">update</span>
            ) : (
              <span className="badge op-change op-change-added">new</span>
            )}
            {previewResult.exists ? (
              <span className="import-summary-changes">
                {counts.added} new, {counts.updated} updated, {counts.unchanged} unchanged, {previewResult.removed.length} removed
              </span>
            ) : null}
          </dd>
          {previewResult.title ? (
            <>
              <dt>Spec</dt>
              <dd className="import-summary-spec" title={preview!.source}>
                {previewResult.title} <span className="dim">· {preview!.source}</span>
              </dd>
            </>
          ) : null}
          {serverUrl ? (
            <>
              <dt>Server</dt>
              <dd>
                <code>{serverUrl}</code>
                {previewResult.servers.length > 1 ? <span className="dim"> (1 of {previewResult.servers.length}: Back to choose)</span> : null}
              </dd>
            </>
          ) : null}
        </dl>
        <PreviewTabs tabs={tabs} active={tab} onSelect={setTab} />
        <div className="import-tabpanel" role="tabpanel" id={`import-tabpanel-${tab}`} aria-labelledby={`import-tab-${tab}`}>
          {tab === 'operations' ? (
            <>
              <div className="import-ops-toolbar">
                <div className="import-filter">
                  <Icon name="search" />
                  <input type="search" data-field="filter" aria-label="Filter operations" placeholder="Filter by name, path, method, tag" value={filter} spellCheck={false} onChange={(e) => setFilter(e.target.value)} />
                </div>
                <button type="button" className="small-button" onClick={() => setExpanded(new Set(groups.map((g) => g.tag)))} disabled={!!filter.trim()}>
                  Expand all
                </button>
                <button type="button" className="small-button" onClick={() => setExpanded(new Set())} disabled={!!filter.trim()}>
                  Collapse all
                </button>
                <button type="button" className="small-button" onClick={() => setSelected(new Set(previewResult.operations.map((o) => o.name)))}>
                  Select all
                </button>
                <button type="button" className="small-button" onClick={() => setSelected(new Set())}>
                  Select none
                </button>
                <span className="import-selected-count" aria-live="polite">
                  {selected.size.toLocaleString('en-US')} of {total.toLocaleString('en-US')} selected
                </span>
              </div>
              <OperationsList groups={groups} selected={selected} expanded={expanded} filter={filter} showChange={previewResult.exists} onToggle={toggle} onToggleGroup={toggleGroup} onExpand={expand} />
            </>
          ) : null}
          {tab === 'warnings' ? <WarningsList warnings={previewResult.warnings} base={specDir} /> : null}
          {tab === 'skipped' ? <SkippedList skipped={previewResult.skipped} /> : null}
          {tab === 'removed' ? (
            previewResult.removed.length === 0 ? (
              <p className="empty-state">Every transaction of {previewResult.connector} is still in the spec.</p>
            ) : (
              <>
                <p className="hint">These transactions of {previewResult.connector} are no longer in the spec. The import keeps them (marked as removed when every operation is imported), so nothing that calls them breaks; delete them when you are ready.</p>
                <ul className="import-issues" aria-label="Removed operations">
                  {previewResult.removed.map((r) => (
                    <li key={r} className="import-issue">
                      <Icon name="transaction" />
                      <code>{r}</code>
                    </li>
                  ))}
                </ul>
              </>
            )
          ) : null}
        </div>
      </>
    );
  }

  // ---- page 3: result ------------------------------------------------------------------------------

  const resultPage = result ? <ImportResultSummary result={result} kind="" base={preview ? dirnameOf(preview.source) : undefined} /> : null;

  const footer = (
    <ImportFooter
      page={page}
      busy={task?.kind ?? null}
      selected={selected.size}
      pageError={pageError}
      notice={notice}
      onCancel={close}
      onBack={back}
      onNext={next}
      onClose={() => studio.closeDialog()}
      onOpen={openConnector}
    />
  );

  const progressView = task ? <TaskProgress task={task} event={progress.event} elapsedMs={progress.elapsedMs} cancelling={cancelling} onCancel={() => cancelTask(task)} /> : null;

  return (
    <>
      <Modal title="Import REST WS reference" subtitle="OpenAPI / Swagger" onCancel={close} onEnter={picking ? undefined : next} className="wizard import-wizard" footer={footer}>
        <WizardSteps titles={PAGES} page={page} />
        {task && page > 0 ? progressView : null}
        <div ref={pageRef} className={`wizard-page import-page-${page}`} role="group" aria-label={PAGES[page]} inert={task?.kind === 'import'}>
          {page === 0 ? sourcePage : page === 1 ? operationsPage : resultPage}
        </div>
        {task && page === 0 ? progressView : null}
      </Modal>
      {picking ? (
        <FolderPicker
          api={studio.api}
          mode="file"
          title="Choose the OpenAPI or Swagger file"
          extensions={SPEC_EXTENSIONS}
          extensionsLabel="OpenAPI / Swagger"
          initialDir={(src && !/^https?:/i.test(src) ? dirnameOf(src) : '') || loadPreference<string>('import.lastDir', '') || props.project}
          onCancel={() => setPicking(false)}
          onPick={(file) => {
            setPicking(false);
            savePreference('import.lastDir', dirnameOf(file));
            chooseSource(file);
            void analyze(false, { source: file, connector: connectorEdited ? name : undefined, server: null });
            picked.current = true;
          }}
        />
      ) : null}
    </>
  );
}
