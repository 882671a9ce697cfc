import { useEffect, useRef, useState } from 'react';
import type { Result } from '../../../src/contract/index.js';
import { Icon } from '../../icons/icons.js';
import { useStudio, useStudioState } from '../../state/context.js';
import { loadPreference, savePreference } from '../../state/preferences.js';
import { Modal } from '../shell/Modal.js';
import { Field } from '../wizards/fields.js';
import { TaskProgress } from '../wizards/import-openapi/TaskProgress.js';
import { copyText, deployErrorField, plainMessage, rememberToken, rememberedToken, type DeployField } from './bundle-model.js';
import { UnsavedChoice, type UnsavedPolicy } from './UnsavedChoice.js';
import { useBundleTask } from './use-bundle-task.js';
import './bundle.css';

type Deployed = Result<'bundle.deploy'>;

const URL_PREFERENCE = 'deploy.url';

/**
 * Project > Deploy to server…: the runtime's URL and admin token, then export + upload with progress, then what
 * the server now serves. The URL is remembered in the studio's preferences; the token only in memory.
 */
export function DeployDialog(props: { project: string }) {
  const studio = useStudio();
  const state = useStudioState((s) => s.projects[props.project]);
  const name = state?.project.name ?? '';
  const dirty = !!state?.dirty;
  const [url, setUrl] = useState(() => loadPreference<string>(URL_PREFERENCE, ''));
  const [token, setToken] = useState(() => rememberedToken(loadPreference<string>(URL_PREFERENCE, '')));
  const [policy, setPolicy] = useState<UnsavedPolicy>('save');
  const [error, setError] = useState<{ message: string; field: DeployField } | null>(null);
  const [done, setDone] = useState<Deployed | null>(null);
  const [copied, setCopied] = useState(false);
  const urlRef = useRef<HTMLInputElement>(null);
  const tokenRef = useRef<HTMLInputElement>(null);
  const { task, progress, cancelling, cancel, run } = useBundleTask<Deployed>(props.project, `Deploying ${name}`);

  const fail = (message: string, field: DeployField) => setError({ message, field });

  // after the render that enables the fields again: the field to fix gets the focus
  useEffect(() => {
    if (error?.field && !task) (error.field === 'token' ? tokenRef : urlRef).current?.focus();
  }, [error, task]);

  const start = async () => {
    if (task) return;
    if (!url.trim()) return fail('Type the runtime’s URL, e.g. http://10.0.0.5:8080 (the server started with trellis serve).', 'url');
    if (!token) return fail('Type the admin token: the runtime’s TRELLIS_ADMIN_TOKEN.', 'token');
    setError(null);
    savePreference(URL_PREFERENCE, url.trim());
    rememberToken(url, token);
    try {
      const result = await run(dirty, policy, (taskId, unsaved) => studio.api['bundle.deploy']({ project: props.project, url: url.trim(), token, unsaved, taskId }));
      setDone(result);
      studio.notify('info', `Deployed ${result.deployed} ${result.version} to ${result.server}`, name);
    } catch (e) {
      fail(plainMessage(e), deployErrorField(e));
    }
  };

  const footer = done ? (
    <button type="button" className="primary" data-autofocus onClick={() => studio.closeDialog()}>
      Close
    </button>
  ) : (
    <>
      <button type="button" onClick={() => studio.closeDialog()}>
        Cancel
      </button>
      <button type="button" className="primary" onClick={() => void start()} disabled={!!task}>
        {task ? 'Deploying…' : 'Deploy'}
      </button>
    </>
  );

  const routes = done ? [...done.sequences.map((s) => `/projects/${done.deployed}/sequences/${s}`), ...done.transactions.map((t) => `/projects/${done.deployed}/transactions/${t.replace('.', '/')}`)] : [];

  return (
    <Modal title={`Deploy to server — ${name}`} onCancel={() => studio.closeDialog()} onEnter={done ? () => studio.closeDialog() : () => void start()} className="bundle-dialog" footer={footer}>
      {done ? (
        <div className="bundle-done" role="status">
          <p className="bundle-done-head">
            <Icon name="info" />
            <span>
              {done.server} now serves {done.deployed} version <code>{done.version}</code>
              {done.replaced ? <> (it replaced version <code>{done.replaced}</code>)</> : null}.
            </span>
          </p>
          <Field label="OpenAPI" hint={`${done.mappings} mapping route${done.mappings === 1 ? '' : 's'} under ${done.mappingBase}`}>
            {({ id, describedBy }) => (
              <div className="input-with-button">
                <input id={id} aria-describedby={describedBy} readOnly value={done.openapi} onFocus={(e) => e.currentTarget.select()} />
                <button type="button" onClick={() => void copyText(done.openapi).then(setCopied)}>
                  {copied ? 'Copied' : 'Copy URL'}
                </button>
              </div>
            )}
          </Field>
          {routes.length ? (
            <ul className="bundle-routes" aria-label="Exposed routes">
              {routes.map((r) => (
                <li key={r}>
                  <code>{r}</code>
                </li>
              ))}
            </ul>
          ) : null}
          {done.missingEnv.length ? (
            <p className="field-error">
              The server does not set <code>{done.missingEnv.join(', ')}</code>: calls through the connectors that use them fail until it does.
            </p>
          ) : null}
        </div>
      ) : (
        <>
          <p className="wizard-intro">Exports {name} and uploads it to a Trellis runtime’s admin API, which verifies it and swaps it in without dropping requests.</p>
          <Field label="Server URL" error={error?.field === 'url' ? error.message : null} hint="The runtime’s address, e.g. http://10.0.0.5:8080 (remembered in this studio’s preferences).">
            {({ id, describedBy, invalid }) => (
              <input
                ref={urlRef}
                id={id}
                aria-describedby={describedBy}
                aria-invalid={invalid}
                value={url}
                spellCheck={false}
                placeholder="http://host:port"
                data-autofocus
                disabled={!!task}
                onChange={(e) => {
                  setUrl(e.target.value);
                  if (error?.field === 'url') setError(null);
                }}
              />
            )}
          </Field>
          <Field label="Admin token" error={error?.field === 'token' ? error.message : null} hint="The runtime’s TRELLIS_ADMIN_TOKEN. Kept in memory until the studio closes; never written to the project or to disk.">
            {({ id, describedBy, invalid }) => (
              <input
                ref={tokenRef}
                id={id}
                type="password"
                autoComplete="off"
                aria-describedby={describedBy}
                aria-invalid={invalid}
                value={token}
                disabled={!!task}
                onChange={(e) => {
                  setToken(e.target.value);
                  if (error?.field === 'token') setError(null);
                }}
              />
            )}
          </Field>
          {dirty ? <UnsavedChoice name={name} value={policy} onChange={setPolicy} verb="deploy" /> : null}
          {task ? <TaskProgress task={task} event={progress.event} elapsedMs={progress.elapsedMs} cancelling={cancelling} onCancel={cancel} /> : null}
          {error && error.field === null ? (
            <p className="field-error bundle-error" role="alert">
              {error.message}
            </p>
          ) : null}
        </>
      )}
    </Modal>
  );
}
