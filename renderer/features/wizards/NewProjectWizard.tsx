import { useEffect, useRef, useState } from 'react';
import { Icon } from '../../icons/icons.js';
import { useStudio, useStudioState } from '../../state/context.js';
import { loadPreference, savePreference } from '../../state/preferences.js';
import { errorMessage } from '../../state/studio.js';
import { FolderPicker } from '../folder-picker/FolderPicker.js';
import { Modal } from '../shell/Modal.js';
import { Field, WizardFooter, WizardSteps, nameError } from './fields.js';

const PAGES = ['Project', 'Connector', 'Summary'];
const PROTOCOL = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

export function hostError(host: string): string | null {
  const h = host.trim();
  if (!h) return 'The server address is required, e.g. api.example.com or 127.0.0.1:8080.';
  const protocol = PROTOCOL.exec(h);
  if (protocol) {
    const rest = h.slice(protocol[0].length).replace(/\/.*$/, '');
    const https = protocol[0].toLowerCase().startsWith('https');
    return `Write the server address without protocol: "${rest}"${https ? ', and check “Use https”' : ''}.`;
  }
  if (h.includes('/')) return `The server address holds no path: write "${h.slice(0, h.indexOf('/'))}" and put "${h.slice(h.indexOf('/'))}" in Base path.`;
  if (/\s/.test(h)) return 'The server address cannot contain spaces.';
  return null;
}

function portError(port: string): string | null {
  if (!port.trim()) return null;
  const n = Number(port);
  return /^\d+$/.test(port.trim()) && n >= 1 && n <= 65535 ? null : 'The port is a number from 1 to 65535 (empty: 80, or 443 with https).';
}

function basePathError(basePath: string): string | null {
  const p = basePath.trim();
  if (!p) return null;
  if (PROTOCOL.test(p)) return 'The base path is only a path, e.g. /v2 (the server goes in Server address).';
  if (p.includes('?')) return 'The base path cannot hold a query string.';
  if (!p.startsWith('/')) return 'The base path starts with /, e.g. /v2.';
  return null;
}

function joinPath(dir: string, name: string): string {
  const sep = dir.includes('\\') && !dir.includes('/') ? '\\' : '/';
  return dir.endsWith(sep) ? dir + name : dir + sep + name;
}

/** New > Project > "REST empty web service": a project with one HTTP connector. */
export function NewProjectWizard() {
  const studio = useStudio();
  const home = useStudioState((s) => s.home);
  const [page, setPage] = useState(0);
  const [name, setName] = useState('');
  const [location, setLocation] = useState<string>(() => loadPreference<string>('lastLocation', ''));
  const [connector, setConnector] = useState('rest');
  const [host, setHost] = useState('');
  const [https, setHttps] = useState(false);
  const [port, setPort] = useState('');
  const [basePath, setBasePath] = useState('');
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [submitted, setSubmitted] = useState<Record<number, boolean>>({});
  const [picking, setPicking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const pageRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!location && home) setLocation(home);
  }, [home, location]);

  // focus the first field of each page
  useEffect(() => {
    pageRef.current?.querySelector<HTMLElement>('input, select, button')?.focus();
  }, [page]);

  const errors: Record<string, string | null> = {
    name: nameError(name, 'project'),
    location: location.trim() ? null : 'Choose the folder that will hold the project.',
    connector: nameError(connector, 'connector'),
    host: hostError(host),
    port: portError(port),
    basePath: basePathError(basePath),
  };
  const pageFields: string[][] = [['name', 'location'], ['connector', 'host', 'port', 'basePath'], []];
  const shown = (field: string, p: number) => (touched[field] || submitted[p] ? errors[field] : null);
  const touch = (field: string) => setTouched((t) => (t[field] ? t : { ...t, [field]: true }));
  const dir = name && location ? joinPath(location.trim(), name.trim()) : '';

  const finish = async () => {
    setBusy(true);
    setError(null);
    try {
      const state = await studio.api['project.create']({
        dir,
        name: name.trim(),
        rest: {
          connector: connector.trim(),
          host: host.trim(),
          https,
          port: port.trim() ? Number(port) : undefined,
          basePath: basePath.trim() || undefined,
        },
      });
      savePreference('lastLocation', location.trim());
      studio.closeDialog();
      studio.projectCreated(state);
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };

  const next = () => {
    if (busy) return;
    const invalid = pageFields[page]!.some((f) => errors[f]);
    if (invalid) {
      setSubmitted((s) => ({ ...s, [page]: true }));
      const first = pageFields[page]!.find((f) => errors[f]);
      pageRef.current?.querySelector<HTMLElement>(`[data-field="${first}"]`)?.focus();
      return;
    }
    if (page < PAGES.length - 1) setPage(page + 1);
    else void finish();
  };

  return (
    <>
      <Modal
        title="New Project"
        subtitle="REST empty web service"
        onCancel={() => studio.closeDialog()}
        onEnter={picking ? undefined : next}
        className="wizard"
        footer={<WizardFooter page={page} pages={PAGES.length} busy={busy} onBack={() => setPage(Math.max(0, page - 1))} onNext={next} onCancel={() => studio.closeDialog()} />}
      >
        <WizardSteps titles={PAGES} page={page} />
        <div ref={pageRef} className="wizard-page" role="group" aria-label={PAGES[page]}>
          {page === 0 ? (
            <>
              <p className="wizard-intro">
                A project with one REST (HTTP) connector, ready for its first transaction. You can add transactions and change every setting later.
              </p>
              <Field label="Project name" error={shown('name', 0)} hint="Letters, digits, _ . - ; it names the folder too.">
                {({ id, describedBy, invalid }) => (
                  <input id={id} data-field="name" value={name} aria-invalid={invalid} aria-describedby={describedBy} spellCheck={false} onChange={(e) => setName(e.target.value)} onBlur={() => name && touch('name')} />
                )}
              </Field>
              <Field label="Location" error={shown('location', 0)} hint={dir ? <>The project folder will be <code>{dir}</code></> : 'The folder that will hold the project folder.'}>
                {({ id, describedBy, invalid }) => (
                  <div className="input-with-button">
                    <input id={id} data-field="location" value={location} aria-invalid={invalid} aria-describedby={describedBy} spellCheck={false} onChange={(e) => setLocation(e.target.value)} onBlur={() => touch('location')} />
                    <button type="button" onClick={() => setPicking(true)}>
                      <Icon name="open" /> Browse…
                    </button>
                  </div>
                )}
              </Field>
            </>
          ) : null}
          {page === 1 ? (
            <>
              <Field label="Connector name" error={shown('connector', 1)}>
                {({ id, describedBy, invalid }) => (
                  <input id={id} data-field="connector" value={connector} aria-invalid={invalid} aria-describedby={describedBy} spellCheck={false} onChange={(e) => setConnector(e.target.value)} onBlur={() => touch('connector')} />
                )}
              </Field>
              <Field label="Server address" error={host ? errors.host : shown('host', 1)} hint="Host name or IP, optionally with :port — no http:// (check Use https instead).">
                {({ id, describedBy, invalid }) => (
                  <input id={id} data-field="host" value={host} placeholder="api.example.com" aria-invalid={invalid} aria-describedby={describedBy} spellCheck={false} onChange={(e) => setHost(e.target.value)} onBlur={() => touch('host')} />
                )}
              </Field>
              <div className="field">
                <span />
                <label className="checkbox">
                  <input type="checkbox" checked={https} onChange={(e) => setHttps(e.target.checked)} /> Use https
                </label>
              </div>
              <Field label="Port" error={port ? errors.port : shown('port', 1)} hint={`Empty: ${https ? 443 : 80}.`}>
                {({ id, describedBy, invalid }) => (
                  <input id={id} data-field="port" className="narrow" inputMode="numeric" value={port} placeholder={https ? '443' : '80'} aria-invalid={invalid} aria-describedby={describedBy} onChange={(e) => setPort(e.target.value)} onBlur={() => touch('port')} />
                )}
              </Field>
              <Field label="Base path" error={basePath ? errors.basePath : shown('basePath', 1)} hint="Prefix of every transaction path, e.g. /v2 (optional).">
                {({ id, describedBy, invalid }) => (
                  <input id={id} data-field="basePath" value={basePath} placeholder="/v2" aria-invalid={invalid} aria-describedby={describedBy} spellCheck={false} onChange={(e) => setBasePath(e.target.value)} onBlur={() => touch('basePath')} />
                )}
              </Field>
            </>
          ) : null}
          {page === 2 ? (
            <>
              <p className="wizard-intro">Finish creates these files; nothing else is written.</p>
              <dl className="summary" aria-label="Summary">
                <dt>Project</dt>
                <dd>{name}</dd>
                <dt>Folder</dt>
                <dd>
                  <code>{dir}</code>
                </dd>
                <dt>Connector</dt>
                <dd>
                  {connector} (HTTP)
                </dd>
                <dt>Base URL</dt>
                <dd>
                  <code>{`${https ? 'https' : 'http'}://${host.trim()}${port.trim() ? `:${port.trim()}` : ''}${basePath.trim()}`}</code>
                </dd>
                <dt>Files</dt>
                <dd>
                  <code>trellis.yaml</code>, <code>connectors/{connector}.yaml</code>
                </dd>
              </dl>
              {error ? (
                <div className="error-panel" role="alert">
                  <Icon name="error" /> <span>{error}</span>
                </div>
              ) : null}
            </>
          ) : null}
        </div>
      </Modal>
      {picking ? (
        <FolderPicker
          api={studio.api}
          mode="select"
          title="Choose Project Location"
          initialDir={location.trim() || undefined}
          onCancel={() => setPicking(false)}
          onPick={(picked) => {
            setLocation(picked);
            setPicking(false);
            // the location is chosen: Enter now means Next
            requestAnimationFrame(() => document.querySelector<HTMLElement>('.wizard .modal-footer .primary')?.focus());
          }}
        />
      ) : null}
    </>
  );
}
