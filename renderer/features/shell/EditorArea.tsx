import { memo, useDeferredValue } from 'react';
import type { ObjectRef, ProjectState } from '../../../src/contract/index.js';
import type { Connector, Project, Transaction } from '../../../src/model/index.js';
import { Icon, kindIcon, StepIcon } from '../../icons/icons.js';
import { useStudio, useStudioState } from '../../state/context.js';
import { effectiveVariables, findConnector, findSequence, findTransaction, pathParameters, projectOf, refName, txMethod, txPath } from '../../state/model.js';
import type { Studio } from '../../state/studio.js';
import { SequenceCanvas } from '../sequence-canvas/SequenceCanvas.js';
import { SqlTransactionEditor } from '../sql-editor/SqlTransactionEditor.js';
import { FullsyncView } from '../fullsync/FullsyncView.js';
import { MappingsEditor } from '../mappings/MappingsEditor.js';

function baseUrl(connector: Connector): string | null {
  const c = connector.config as { host?: unknown; https?: unknown; port?: unknown; basePath?: unknown };
  if (typeof c.host !== 'string') return null;
  const https = c.https === true;
  const port = typeof c.port === 'number' && c.port !== (https ? 443 : 80) ? `:${c.port}` : '';
  return `${https ? 'https' : 'http'}://${c.host}${port}${typeof c.basePath === 'string' ? c.basePath : ''}`;
}

function Badge(props: { children: string; className?: string }) {
  return <span className={`badge ${props.className ?? ''}`}>{props.children}</span>;
}

function TransactionOverview(props: { studio: Studio; dir: string; project: Project; connector: Connector; tx: Transaction }) {
  const { studio, dir, connector, tx } = props;
  const method = txMethod(tx);
  const path = txPath(tx);
  const base = baseUrl(connector);
  const vars = effectiveVariables(tx);
  const params = pathParameters(path);
  const ref: ObjectRef = { type: 'transaction', connector: connector.name, transaction: tx.name };
  return (
    <div className="overview">
      <header className="overview-header">
        <Icon name="transaction" className="kind-icon-transaction" />
        <h2>{tx.name}</h2>
        {tx.type ? <Badge>{String(tx.type).toUpperCase()}</Badge> : null}
        <span className="overview-actions">
          <button type="button" className="primary" onClick={() => studio.execute(dir, ref)} title="Execute (F5)">
            <Icon name="play" /> Execute
          </button>
          <button type="button" onClick={() => studio.newVariable(dir, ref)}>
            <Icon name="plus" /> Variable
          </button>
        </span>
      </header>
      {tx.description ? <p className="overview-description">{tx.description}</p> : null}
      {method !== undefined || path !== undefined ? (
        <p className="request-line" aria-label="Request">
          {method ? <span className={`method method-${method.toLowerCase()}`}>{method}</span> : null}
          <code>
            <span className="dim">{base ?? ''}</span>
            {path ?? ''}
          </code>
        </p>
      ) : null}
      <h3>Variables</h3>
      {vars.length === 0 ? (
        <p className="dim">No variables. Add one with the button above, from the context menu (New › Variable), or write {'{name}'} in the path.</p>
      ) : (
        <table className="grid-table overview-table" aria-label="Variables">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
              <th scope="col">In</th>
              <th scope="col">Required</th>
              <th scope="col">Default</th>
              <th scope="col">Description</th>
            </tr>
          </thead>
          <tbody>
            {vars.map((v) => {
              const declared = tx.variables?.some((d) => d.name === v.name);
              return (
                <tr key={v.name}>
                  <td>
                    {declared ? (
                      <button type="button" className="link-button" onClick={() => studio.select(dir, { type: 'variable', connector: connector.name, transaction: tx.name, variable: v.name }, { reveal: true })}>
                        {v.name}
                      </button>
                    ) : (
                      <span title="Named in the path, not declared: a required string">{v.name}</span>
                    )}
                  </td>
                  <td>{v.type ?? 'string'}</td>
                  <td>{v.in ?? (params.includes(v.name) ? 'path' : '')}</td>
                  <td>{v.required ? 'yes' : ''}</td>
                  <td>{v.default === undefined ? '' : <code>{JSON.stringify(v.default)}</code>}</td>
                  <td className="dim">{v.secret ? 'secret · ' : ''}{v.description ?? (declared ? '' : 'from the path')}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <p className="hint">
        Press <kbd>F5</kbd> to execute; the response appears in the Response panel below. Edit every setting in Properties.
      </p>
    </div>
  );
}

function ConnectorOverview(props: { studio: Studio; dir: string; connector: Connector }) {
  const { studio, dir, connector } = props;
  const base = baseUrl(connector);
  const txs = connector.transactions ?? [];
  return (
    <div className="overview">
      <header className="overview-header">
        <Icon name="connector" className="kind-icon-connector" />
        <h2>{connector.name}</h2>
        <Badge>{connector.kind}</Badge>
        <span className="overview-actions">
          <button type="button" onClick={() => studio.newTransaction(dir, connector.name)}>
            <Icon name="plus" /> Transaction
          </button>
        </span>
      </header>
      {connector.description ? <p className="overview-description">{connector.description}</p> : null}
      {base ? (
        <p className="request-line">
          <code>{base}</code>
        </p>
      ) : null}
      <h3>Transactions ({txs.length})</h3>
      {txs.length === 0 ? (
        <p className="dim">No transactions yet: New › Transaction… (toolbar or context menu).</p>
      ) : (
        <table className="grid-table overview-table" aria-label="Transactions">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Method</th>
              <th scope="col">Path</th>
              <th scope="col">Type</th>
            </tr>
          </thead>
          <tbody>
            {txs.slice(0, 200).map((t) => (
              <tr key={t.name}>
                <td>
                  <button type="button" className="link-button" onClick={() => studio.select(dir, { type: 'transaction', connector: connector.name, transaction: t.name }, { reveal: true })}>
                    {t.name}
                  </button>
                </td>
                <td>{txMethod(t) ?? ''}</td>
                <td>
                  <code>{txPath(t) ?? ''}</code>
                </td>
                <td>{t.type ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {txs.length > 200 ? <p className="dim">…and {txs.length - 200} more: filter the Projects view or use Quick Open (Ctrl+P).</p> : null}
    </div>
  );
}

function ProjectOverview(props: { studio: Studio; state: ProjectState }) {
  const { studio, state } = props;
  const project = projectOf(state);
  const txCount = project.connectors.reduce((n, c) => n + (c.transactions?.length ?? 0), 0);
  return (
    <div className="overview">
      <header className="overview-header">
        <Icon name="project" className="kind-icon-project" />
        <h2>{project.name}</h2>
        {state.dirty ? <Badge className="badge-dirty">unsaved</Badge> : null}
      </header>
      {project.description ? <p className="overview-description">{project.description}</p> : null}
      <p className="request-line">
        <code>{project.dir}</code>
      </p>
      <p>
        {project.connectors.length} connectors, {txCount} transactions, {project.sequences.length} sequences.
        {state.problems.length ? ` ${state.problems.length} problems (see Problems).` : ''}
      </p>
      {project.connectors.length > 0 && txCount === 0 ? (
        <p className="hint">
          Next: add a transaction —{' '}
          <button type="button" className="link-button" onClick={() => studio.newTransaction(project.dir, project.connectors[0]?.name ?? null)}>
            New › Transaction…
          </button>
        </p>
      ) : null}
    </div>
  );
}

function TabContent(props: { studio: Studio; state: ProjectState; refValue: ObjectRef; view?: 'mappings' }) {
  const { studio, state, refValue: ref } = props;
  const project = projectOf(state);
  const dir = state.project.dir;
  if (props.view === 'mappings') return <MappingsEditor key={dir} studio={studio} state={state} />;
  switch (ref.type) {
    case 'transaction': {
      const connector = findConnector(project, ref.connector);
      const tx = findTransaction(project, ref.connector, ref.transaction);
      if (connector?.kind === 'sql' && tx) return <SqlTransactionEditor key={`${dir}\u0001${connector.name}.${tx.name}`} studio={studio} dir={dir} connector={connector} tx={tx} />;
      return connector && tx ? <TransactionOverview studio={studio} dir={dir} project={project} connector={connector} tx={tx} /> : null;
    }
    case 'connector': {
      const connector = findConnector(project, ref.connector);
      if (connector?.kind === 'couch') return <FullsyncView key={`${dir}\u0001${connector.name}`} studio={studio} dir={dir} connector={connector} />;
      return connector ? <ConnectorOverview studio={studio} dir={dir} connector={connector} /> : null;
    }
    case 'sequence':
      return findSequence(project, ref.sequence) ? <SequenceCanvas studio={studio} state={state} sequence={ref.sequence} /> : null;
    case 'project':
      return <ProjectOverview studio={studio} state={state} />;
    default:
      return null;
  }
}

const MemoTabContent = memo(TabContent);

/** The centre: one tab per opened object (a preview tab follows the selection). */
export function EditorArea() {
  const studio = useStudio();
  const tabs = useStudioState((s) => s.tabs);
  const activeTab = useStudioState((s) => s.activeTab);
  const projects = useStudioState((s) => s.projects);
  const order = useStudioState((s) => s.order);
  // the tab strip follows at once; the tab's content in a deferred render (the tree paints first)
  const active = useDeferredValue(tabs.find((t) => t.key === activeTab));
  const activeState = active ? projects[active.project] : undefined;

  if (tabs.length === 0) {
    return (
      <section className="editor-area" aria-label="Editor">
        <div className="empty-state editor-empty">
          {order.length === 0 ? (
            <>
              <h2>No project open</h2>
              <p>
                <button type="button" className="link-button" onClick={() => studio.newProject()}>
                  New project
                </button>{' '}
                (Ctrl+N) creates a REST project in a few steps;{' '}
                <button type="button" className="link-button" onClick={() => studio.openProject()}>
                  Open
                </button>{' '}
                (Ctrl+O) opens a project folder.
              </p>
            </>
          ) : (
            <>
              <h2>Nothing selected</h2>
              <p>Select an object in the Projects view to see it here. Ctrl+P finds any object by name; F5 executes the selected transaction or sequence.</p>
            </>
          )}
        </div>
      </section>
    );
  }

  return (
    <section className="editor-area" aria-label="Editor">
      <div className="tab-strip" role="tablist" aria-label="Open editors">
        {tabs.map((tab) => {
          const state = projects[tab.project];
          const name = tab.view === 'mappings' ? `Mappings${state ? ` · ${projectOf(state).name}` : ''}` : state ? refName(projectOf(state), tab.ref) : '?';
          const selected = tab.key === activeTab;
          return (
            <div
              key={tab.key}
              role="tab"
              aria-selected={selected}
              aria-label={tab.preview ? `${name} (preview)` : name}
              tabIndex={selected ? 0 : -1}
              className={`tab${selected ? ' active' : ''}${tab.preview ? ' preview' : ''}`}
              title={tab.preview ? `${name} (preview: double-click to keep it open)` : name}
              onClick={() => studio.activateTab(tab.key)}
              onDoubleClick={() => studio.pinTab(tab.key)}
              onAuxClick={(e) => e.button === 1 && studio.closeTab(tab.key)}
              onKeyDown={(e) => {
                const index = tabs.indexOf(tab);
                if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
                  const next = tabs[(index + (e.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
                  if (next) studio.activateTab(next.key);
                } else if (e.key === 'Delete') studio.closeTab(tab.key);
              }}
            >
              {tab.view === 'mappings' ? <StepIcon icon="request" className="kind-icon-mappings" /> : <Icon name={kindIcon(tab.ref.type)} className={`kind-icon-${tab.ref.type}`} />}
              <span className="tab-label">{name}</span>
              <button
                type="button"
                className="tab-close"
                aria-label={`Close ${name}`}
                tabIndex={-1}
                onClick={(e) => {
                  e.stopPropagation();
                  studio.closeTab(tab.key);
                }}
              >
                <Icon name="close" />
              </button>
            </div>
          );
        })}
      </div>
      <div className="tab-panel" role="tabpanel" aria-label={active && activeState ? (active.view === 'mappings' ? 'Mappings' : refName(projectOf(activeState), active.ref)) : 'Editor'}>
        {active && activeState ? <MemoTabContent studio={studio} state={activeState} refValue={active.ref} view={active.view} /> : null}
      </div>
    </section>
  );
}
