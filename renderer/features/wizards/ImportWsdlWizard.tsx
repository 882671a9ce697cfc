import { useCallback, useMemo, useState } from 'react';
import type { Result, WsdlPreview } from '../../../src/contract/index.js';
import { Icon } from '../../icons/icons.js';
import { useStudio, useStudioState } from '../../state/context.js';
import { findConnector, projectOf } from '../../state/model.js';
import { loadPreference, savePreference } from '../../state/preferences.js';
import { FolderPicker } from '../folder-picker/FolderPicker.js';
import { Modal } from '../shell/Modal.js';
import { Field, WizardSteps, nameError } from './fields.js';
import type { ImportProblem } from './import-openapi/import-errors.js';
import { changeCounts, plural, type OperationGroup } from './import-openapi/operations-model.js';
import { OperationsList } from './import-openapi/OperationsList.js';
import { TaskProgress, newTaskId, type RunningTask } from './import-openapi/TaskProgress.js';
import './import-openapi/import-openapi.css';
import { ImportFooter, ImportResultSummary, PreviewTabs } from './import-shared/ImportParts.js';
import { ProblemPanel, SkippedList, WarningsList, dirnameOf } from './import-shared/ImportIssues.js';
import { revealConnector, useImportTasks } from './import-shared/use-import-tasks.js';
import { VERSION_LABEL, describeWsdlError, groupByPortType, servicesOf, type SoapVersion } from './import-wsdl/wsdl-model.js';

const PAGES = ['Source', 'Operations', 'Result'];
const WSDL_EXTENSIONS = ['.wsdl', '.xml'];

type PreviewTab = 'operations' | 'warnings' | 'skipped' | 'removed';

interface Task extends RunningTask {
  kind: 'preview' | 'import';
}

/** What a preview was asked for: a new choice (source, name, service, version) reads the WSDL again. */
interface Choice {
  source: string;
  connector?: string;
  service?: string;
  binding?: SoapVersion;
}

type ImportResult = Result<'wsdl.import'>;

function looksComplete(source: string): boolean {
  const s = source.trim();
  return /^https?:\/\/[^/\s]+\/\S+/i.test(s) || WSDL_EXTENSIONS.some((e) => s.toLowerCase().endsWith(e));
}

/**
 * Import > WSDL: a WSDL 1.1 (a file on the engine's disk or an http(s) URL, with the WSDLs and schemas it
 * imports) becomes one SOAP connector with a transaction per operation. Page 1 chooses the source, the
 * connector (created or updated), the service and the SOAP version when the service offers both; the preview
 * lists the operations by port type to choose from, the warnings, what is skipped and what a re-import removes;
 * the last page says what was imported. Reading and importing are engine tasks with progress and Cancel.
 */
export function ImportWsdlWizard(props: { project: string; connector?: string }) {
  const studio = useStudio();
  const projectState = useStudioState((s) => s.projects[props.project]);
  const model = projectState ? projectOf(projectState) : null;
  const [page, setPage] = useState(0);
  const [source, setSource] = useState('');
  const [connector, setConnector] = useState(props.connector ?? '');
  const [connectorEdited, setConnectorEdited] = useState(!!props.connector);
  const [service, setService] = useState<string | undefined>(undefined);
  const [binding, setBinding] = useState<SoapVersion | undefined>(undefined);
  const [preview, setPreview] = useState<{ choice: Choice; result: WsdlPreview } | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [filter, setFilter] = useState('');
  const [tab, setTab] = useState<PreviewTab>('operations');
  const [problem, setProblem] = useState<ImportProblem | null>(null);
  const [pageError, setPageError] = useState<string | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [picking, setPicking] = useState(false);
  const { task, setTask, taskRef, seq, advanceRef, progress, cancelling, setCancelling, notice, setNotice, pageRef, focusField, cancelTask } = useImportTasks<Task>(studio, page, 'Reading the WSDL was cancelled.');

  const previewResult = preview?.result ?? null;
  const groups = useMemo<OperationGroup[]>(() => (previewResult ? groupByPortType(previewResult.operations) : []), [previewResult]);
  const src = source.trim();
  const name = connector.trim();
  const choice: Choice = { source: src, ...(name ? { connector: name } : {}), ...(service ? { service } : {}), ...(binding ? { binding } : {}) };
  const previewMatches = !!preview && preview.choice.source === src && (name === '' || name === preview.result.connector) && (!service || service === preview.result.service) && (!binding || binding === preview.result.binding);



  /** Reads the WSDL (wsdl.preview) with progress; `advance` goes to the operations page when done. */
  const analyze = async (advance: boolean, asked: Choice = choice) => {
    setPageError(null);
    if (!asked.source) {
      setProblem({ field: 'source', code: 'REQUIRED', message: 'Choose the WSDL file (Browse…) or type its http(s) URL.' });
      focusField('source');
      return;
    }
    if (asked.connector && nameError(asked.connector, 'connector')) return focusField('connector');
    if (taskRef.current?.kind === 'import') return;
    if (taskRef.current) cancelTask(taskRef.current, true);
    const t: Task = { kind: 'preview', taskId: newTaskId('wsdl-preview'), title: 'Reading the WSDL', startedAt: Date.now() };
    const id = ++seq.current;
    advanceRef.current = advance;
    setTask(t);
    setProblem(null);
    setNotice(null);
    try {
      const res = await studio.api['wsdl.preview']({ project: props.project, ...asked, taskId: t.taskId });
      if (id !== seq.current) return;
      setPreview({ choice: asked, result: res });
      if (!connectorEdited || !asked.connector) setConnector(res.connector);
      setService(res.service);
      setBinding(res.binding);
      setSelected(new Set(res.operations.map((o) => o.name)));
      setExpanded(new Set(res.operations.map((o) => o.portType)));
      setFilter('');
      setTab('operations');
      setTask(null);
      if (advanceRef.current) setPage(1);
      advanceRef.current = false;
    } catch (e) {
      if (id !== seq.current) return;
      setTask(null);
      advanceRef.current = false;
      const p = describeWsdlError(e);
      if (!p) return setNotice('Reading the WSDL was cancelled.');
      setPreview(null);
      setProblem(p);
      focusField(p.field);
    }
  };

  const runImport = async () => {
    if (!preview || taskRef.current) return;
    if (selected.size === 0) return setPageError('Select at least one operation to import.');
    setPageError(null);
    setNotice(null);
    const all = selected.size === preview.result.operations.length;
    const t: Task = { kind: 'import', taskId: newTaskId('wsdl-import'), title: 'Importing', startedAt: Date.now() };
    const id = ++seq.current;
    setTask(t);
    try {
      const res = await studio.api['wsdl.import']({
        project: props.project,
        source: preview.choice.source,
        connector: preview.result.connector,
        ...(preview.result.service ? { service: preview.result.service } : {}),
        binding: preview.result.binding,
        operations: all ? undefined : preview.result.operations.filter((o) => selected.has(o.name)).map((o) => o.name),
        taskId: t.taskId,
      });
      if (id !== seq.current) return;
      studio.applyState(res.state);
      setResult(res);
      setPage(2);
    } catch (e) {
      if (id !== seq.current) return;
      const p = describeWsdlError(e);
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
      if (previewMatches) return setPage(1);
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
    setService(undefined);
    setBinding(undefined);
    setProblem(null);
    setNotice(null);
    if (taskRef.current?.kind === 'preview') cancelTask(taskRef.current, true);
  };

  /** Another service or SOAP version: read again (the operations and the port depend on it). */
  const rechoose = (change: { service?: string; binding?: SoapVersion }) => {
    const next: Choice = { ...choice, ...change };
    if ('service' in change) delete next.binding;
    if (change.service !== undefined) setService(change.service);
    setBinding(change.binding);
    void analyze(false, next);
  };

  // ---- page 1: source ----------------------------------------------------------------------------

  const existing = model && name ? findConnector(model, name) : undefined;
  const connectorProblem = name ? (nameError(name, 'connector') ?? (existing && existing.kind !== 'soap' ? `${name} is a ${existing.kind} connector: the import makes or updates a SOAP connector; choose another name.` : null)) : null;
  const connectorHint = !name
    ? 'Named after the WSDL’s service once it is read; you can change it.'
    : existing
      ? `Updates the existing connector ${name}: new operations are added, changed ones updated, your own edits (renamed variables, defaults, endpoint, notes) kept.`
      : `Creates a new SOAP connector ${name}.`;
  // kept while another service or version of the same WSDL is read, so the choice stays where it was clicked
  const sameSource = !!preview && preview.choice.source === src;
  const services = sameSource ? servicesOf(preview.result) : [];
  const versions = sameSource ? (servicesOf(preview.result).find((x) => x.service === (service ?? preview.result.service))?.versions ?? []) : [];

  const sourcePage = (
    <>
      <p className="wizard-intro">
        One SOAP connector, with one ready-to-run transaction per operation of a WSDL 1.1 document (SOAP 1.1 or 1.2). Its <code>wsdl:import</code>s and XML Schema imports and includes, in other files or at other URLs, are followed.
      </p>
      <Field label="WSDL file or URL" error={problem?.field === 'source' && problem.code === 'REQUIRED' ? problem.message : null} hint="A file on the engine’s disk, or an http(s) URL (often the service address followed by ?wsdl).">
        {({ id, describedBy, invalid }) => (
          <div className="input-with-button">
            <input
              id={id}
              data-field="source"
              value={source}
              placeholder="/path/to/service.wsdl or https://example.com/service?wsdl"
              aria-invalid={invalid || problem?.field === 'source'}
              aria-describedby={describedBy}
              spellCheck={false}
              autoComplete="off"
              onChange={(e) => chooseSource(e.target.value)}
              onBlur={() => {
                if (!task && looksComplete(source) && !(preview && preview.choice.source === src) && !problem) void analyze(false);
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
            placeholder="from the WSDL’s service"
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
      {services.length > 1 ? (
        <Field label="Service" error={problem?.field === 'server' ? problem.message : null} hint={`The WSDL defines ${services.length} services; the connector calls this one.`}>
          {({ id, describedBy, invalid }) => (
            <select id={id} data-field="server" value={service ?? preview?.result.service ?? ''} aria-invalid={invalid} aria-describedby={describedBy} onChange={(e) => rechoose({ service: e.target.value })}>
              {services.map((s) => (
                <option key={s.service} value={s.service}>
                  {s.service} ({s.versions.map((v) => VERSION_LABEL[v]).join(', ')})
                </option>
              ))}
            </select>
          )}
        </Field>
      ) : null}
      {versions.length > 1 ? (
        <fieldset className="field import-soap-version">
          <legend className="field-label">SOAP version</legend>
          <div className="field-control" role="radiogroup" aria-label="SOAP version">
            {versions.map((v) => (
              <label key={v} className="radio">
                <input type="radio" name="soap-version" value={v} checked={(binding ?? preview?.result.binding) === v} onChange={() => rechoose({ binding: v })} />
                {VERSION_LABEL[v]}
              </label>
            ))}
            <span className="hint">The service is offered over both; the connector speaks the one chosen (a setting you can change later).</span>
          </div>
        </fieldset>
      ) : null}
      {previewMatches && !task ? (
        <p className="import-ready">
          <Icon name="info" />
          <span>
            {preview.result.title ? <strong>{preview.result.title}</strong> : 'The WSDL'}
            {preview.result.files > 1 ? ` (${preview.result.files} files)` : ''}: {plural(preview.result.operations.length, 'operation')}
            {preview.result.service ? ` of service ${preview.result.service}, port ${preview.result.port ?? '?'} (${VERSION_LABEL[preview.result.binding]})` : ''}
            {preview.result.skipped.length ? `, ${preview.result.skipped.length} skipped` : ''}
            {preview.result.warnings.length ? `, ${plural(preview.result.warnings.length, 'warning')}` : ''}. Next shows them.
          </span>
        </p>
      ) : null}
      {problem && problem.code !== 'REQUIRED' ? <ProblemPanel problem={problem} pointerLabel="Element" document="WSDL" /> : null}
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
  if (previewResult && preview) {
    const total = previewResult.operations.length;
    const counts = changeCounts(groups.flatMap((g) => g.operations));
    const address = previewResult.ports.find((p) => p.service === previewResult.service && p.port === previewResult.port)?.address;
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
            <strong>{previewResult.connector}</strong> <span className={`badge op-change op-change-${previewResult.exists ? 'updated' : 'added'}`}>{previewResult.exists ? 'update' : 'new'}</span>
            {previewResult.exists ? (
              <span className="import-summary-changes">
                {counts.added} new, {counts.updated} updated, {counts.unchanged} unchanged, {previewResult.removed.length} removed
              </span>
            ) : null}
          </dd>
          <dt>WSDL</dt>
          <dd className="import-summary-spec" title={preview.choice.source}>
            {previewResult.title ?? 'definitions'} <span className="dim">· {preview.choice.source}</span>
          </dd>
          {previewResult.service ? (
            <>
              <dt>Service</dt>
              <dd>
                {previewResult.service} · port {previewResult.port} · {VERSION_LABEL[previewResult.binding]}
                {previewResult.bindings.length > 1 ? <span className="dim"> (also {previewResult.bindings.filter((b) => b !== previewResult.binding).map((b) => VERSION_LABEL[b]).join(', ')}: Back to choose)</span> : null}
              </dd>
            </>
          ) : null}
          {address ? (
            <>
              <dt>Address</dt>
              <dd>
                <code>{address}</code>
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
                  <input type="search" data-field="filter" aria-label="Filter operations" placeholder="Filter by name, port type, style" value={filter} spellCheck={false} onChange={(e) => setFilter(e.target.value)} />
                </div>
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
          {tab === 'warnings' ? <WarningsList warnings={previewResult.warnings} base={dirnameOf(preview.choice.source)} empty="No warning: the WSDL follows the standard where the import reads it." /> : null}
          {tab === 'skipped' ? <SkippedList skipped={previewResult.skipped} /> : null}
          {tab === 'removed' ? (
            previewResult.removed.length === 0 ? (
              <p className="empty-state">Every transaction of {previewResult.connector} is still in the WSDL.</p>
            ) : (
              <>
                <p className="hint">These transactions of {previewResult.connector} are no longer in the WSDL. The import keeps them (marked as removed when every operation is imported), so nothing that calls them breaks.</p>
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

  const resultPage = result ? <ImportResultSummary result={result} kind="SOAP " base={preview ? dirnameOf(preview.choice.source) : undefined} hint={<>set the connector’s endpoint to call another address than the WSDL’s.</>} /> : null;

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
      <Modal title="Import WSDL" subtitle="SOAP web service" onCancel={close} onEnter={picking ? undefined : next} className="wizard import-wizard" footer={footer}>
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
          title="Choose the WSDL file"
          extensions={WSDL_EXTENSIONS}
          extensionsLabel="WSDL"
          initialDir={(src && !/^https?:/i.test(src) ? dirnameOf(src) : '') || loadPreference<string>('import.lastDir', '') || props.project}
          onCancel={() => setPicking(false)}
          onPick={(file) => {
            setPicking(false);
            savePreference('import.lastDir', dirnameOf(file));
            chooseSource(file);
            void analyze(false, { source: file, ...(connectorEdited && name ? { connector: name } : {}) });
          }}
        />
      ) : null}
    </>
  );
}
