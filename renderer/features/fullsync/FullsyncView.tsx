import './fullsync.css';
import { useCallback, useEffect, useState } from 'react';
import type { JSX, KeyboardEvent } from 'react';
import type { FullsyncDatabase } from '../../../src/contract/index.js';
import type { Connector } from '../../../src/model/index.js';
import { Icon } from '../../icons/icons.js';
import { errorMessage, type Studio } from '../../state/studio.js';
import { DocumentsPane } from './DocumentsPane.js';
import { ListenersPane } from './ListenersPane.js';
import { ViewsPane } from './ViewsPane.js';

type Pane = 'documents' | 'views' | 'listeners';
const PANES: Array<{ id: Pane; label: string }> = [
  { id: 'documents', label: 'Documents' },
  { id: 'views', label: 'Views' },
  { id: 'listeners', label: 'Listeners' },
];

/**
 * The FullSync view of a couch connector's tab: the project's databases on the left, and for the open one its
 * documents (browse, edit as JSON), its view files (edit, run) and the listeners the studio can run.
 */
export function FullsyncView(props: { studio: Studio; dir: string; connector: Connector }): JSX.Element {
  const { studio, dir, connector } = props;
  const [databases, setDatabases] = useState<FullsyncDatabase[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pane, setPane] = useState<Pane>('documents');

  const refresh = useCallback(async () => {
    try {
      setDatabases((await studio.api['fullsync.databases']({ project: dir })).databases);
      setError(null);
    } catch (e) {
      setError(`FullSync databases: ${errorMessage(e)}`);
    }
  }, [studio, dir]);

  useEffect(() => {
    void refresh();
  }, [refresh, connector.config]);

  const current = databases?.find((d) => d.connector === connector.name);
  const onTabKey = (e: KeyboardEvent) => {
    const i = PANES.findIndex((p) => p.id === pane);
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      const next = PANES[(i + (e.key === 'ArrowRight' ? 1 : PANES.length - 1)) % PANES.length]!;
      setPane(next.id);
      document.getElementById(`fs-tab-${next.id}`)?.focus();
    }
  };

  return (
    <div className="fs-view" aria-label={`FullSync view of ${connector.name}`}>
      <nav className="fs-databases" aria-label="FullSync databases">
        <h3>Databases</h3>
        <ul>
          {(databases ?? []).map((d) => (
            <li key={d.connector}>
              <button
                type="button"
                className={`fs-dbbutton${d.connector === connector.name ? ' selected' : ''}`}
                aria-current={d.connector === connector.name}
                onClick={() => studio.select(dir, { type: 'connector', connector: d.connector }, { pin: true, reveal: true })}
                title={d.error ?? d.location}
              >
                <span className="fs-dbname">{d.database || d.connector}</span>
                <span className="dim">{d.error ? 'error' : `${d.docCount ?? '?'} docs`}</span>
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <div className="fs-main">
        <header className="overview-header fs-header">
          <Icon name="connector" className="kind-icon-connector" />
          <h2>{connector.name}</h2>
          <span className="badge">couch</span>
          {current?.fullsync ? <span className="badge">fullsync{current.anonymous ? ' · anonymous' : ''}</span> : null}
          <span className="overview-actions">
            <button type="button" onClick={() => void refresh()} title="Read the databases again">
              Refresh
            </button>
            <button type="button" onClick={() => studio.newTransaction(dir, connector.name)}>
              <Icon name="plus" /> Transaction
            </button>
          </span>
        </header>
        <p className="dim fs-location">{current ? `database ${current.database} · ${current.embedded ? 'embedded store ' : 'CouchDB '}${current.location}${current.docCount !== null ? ` · ${current.docCount} documents` : ''}` : 'Reading the databases…'}</p>
        {error || current?.error ? (
          <p className="fs-error" role="alert">
            {error ?? `connectors/${connector.name}: ${current?.error ?? ''}`}
          </p>
        ) : null}
        <div className="fs-tabs" role="tablist" aria-label="FullSync" onKeyDown={onTabKey}>
          {PANES.map((p) => (
            <button key={p.id} id={`fs-tab-${p.id}`} type="button" role="tab" aria-selected={pane === p.id} tabIndex={pane === p.id ? 0 : -1} className={`fs-tab${pane === p.id ? ' active' : ''}`} onClick={() => setPane(p.id)}>
              {p.label}
              {p.id === 'views' && current ? ` (${current.views.length})` : p.id === 'listeners' && current ? ` (${current.listeners.length})` : ''}
            </button>
          ))}
        </div>
        <div className="fs-pane" role="tabpanel" aria-labelledby={`fs-tab-${pane}`}>
          {pane === 'documents' ? <DocumentsPane key={connector.name} studio={studio} dir={dir} connector={connector.name} onChanged={() => void refresh()} /> : null}
          {pane === 'views' && current ? <ViewsPane key={connector.name} studio={studio} dir={dir} connector={connector.name} database={current.database} views={current.views} onChanged={() => void refresh()} /> : null}
          {pane === 'listeners' ? <ListenersPane studio={studio} dir={dir} connector={connector.name} listeners={current?.listeners ?? []} /> : null}
        </div>
      </div>
    </div>
  );
}
