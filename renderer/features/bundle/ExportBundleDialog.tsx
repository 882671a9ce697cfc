import { useEffect, useState } from 'react';
import type { Result } from '../../../src/contract/index.js';
import { Icon } from '../../icons/icons.js';
import { useStudio, useStudioState } from '../../state/context.js';
import { FolderPicker } from '../folder-picker/FolderPicker.js';
import { Modal } from '../shell/Modal.js';
import { Field } from '../wizards/fields.js';
import { TaskProgress } from '../wizards/import-openapi/TaskProgress.js';
import { copyText, joinPath, plainMessage, sizeText, splitPath } from './bundle-model.js';
import { UnsavedChoice, type UnsavedPolicy } from './UnsavedChoice.js';
import { useBundleTask } from './use-bundle-task.js';
import './bundle.css';

type Exported = Result<'bundle.export'>;

/** Project > Export bundle…: where to write the .trellis file, progress, then the path with a Copy button. */
export function ExportBundleDialog(props: { project: string }) {
  const studio = useStudio();
  const state = useStudioState((s) => s.projects[props.project]);
  const name = state?.project.name ?? '';
  const dirty = !!state?.dirty;
  const [file, setFile] = useState('');
  // the default name holds the version of the files on disk: after a save first, the engine names the file anew
  const [defaultFile, setDefaultFile] = useState('');
  const [policy, setPolicy] = useState<UnsavedPolicy>('save');
  const [picking, setPicking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<Exported | null>(null);
  const [copied, setCopied] = useState(false);
  const { task, progress, cancelling, cancel, run } = useBundleTask<Exported>(props.project, `Exporting ${name}`);

  useEffect(() => {
    studio.api['bundle.info']({ project: props.project }).then(
      (info) => {
        setDefaultFile(info.file);
        setFile((f) => f || info.file);
      },
      (e: unknown) => setError(plainMessage(e)),
    );
  }, [studio, props.project]);

  const start = async () => {
    if (task) return;
    if (!file.trim()) return setError('Choose where to write the bundle: type a file path, or click Browse.');
    setError(null);
    try {
      const result = await run(dirty, policy, (taskId, unsaved) => studio.api['bundle.export']({ project: props.project, output: file.trim() === defaultFile ? undefined : file.trim(), unsaved, taskId }));
      setDone(result);
      studio.notify('info', `Bundle written: ${result.file}`, name);
    } catch (e) {
      setError(plainMessage(e));
    }
  };

  if (picking) {
    const { dir, name: fileName, sep } = splitPath(file);
    return (
      <FolderPicker
        api={studio.api}
        mode="select"
        title="Folder for the bundle"
        initialDir={dir || undefined}
        onCancel={() => setPicking(false)}
        onPick={(folder) => {
          setFile(joinPath(folder, fileName || `${name}.trellis`, sep));
          setPicking(false);
        }}
      />
    );
  }

  const footer = done ? (
    <button type="button" className="primary" data-autofocus onClick={() => studio.closeDialog()}>
      Close
    </button>
  ) : (
    <>
      <button type="button" onClick={() => studio.closeDialog()}>
        Cancel
      </button>
      <button type="button" className="primary" onClick={() => void start()} disabled={!!task || (!file && !defaultFile && !error)}>
        {task ? 'Exporting…' : 'Export'}
      </button>
    </>
  );

  return (
    <Modal title={`Export bundle — ${name}`} onCancel={() => studio.closeDialog()} onEnter={done ? () => studio.closeDialog() : () => void start()} className="bundle-dialog" footer={footer}>
      {done ? (
        <div className="bundle-done" role="status">
          <p className="bundle-done-head">
            <Icon name="info" />
            <span>
              Bundle written: {done.name} version <code>{done.version}</code>, {done.files} files, {sizeText(done.bytes)}.
            </span>
          </p>
          <Field label="File" hint={<>SHA-256 {done.sha256.slice(0, 16)}… · run it with <code>trellis serve {splitPath(done.file).name}</code></>}>
            {({ id, describedBy }) => (
              <div className="input-with-button">
                <input id={id} aria-describedby={describedBy} readOnly value={done.file} onFocus={(e) => e.currentTarget.select()} />
                <button
                  type="button"
                  onClick={() =>
                    void copyText(done.file).then((ok) => {
                      setCopied(ok);
                      if (!ok) studio.notify('error', 'The clipboard refused the path: select it in the field and press Ctrl+C.');
                    })
                  }
                >
                  {copied ? 'Copied' : 'Copy path'}
                </button>
              </div>
            )}
          </Field>
          {done.env.length ? (
            <p className="hint">
              The server must set these environment variables: <code>{done.env.join(', ')}</code> (bundles carry no secrets).
            </p>
          ) : null}
          {done.skipped.length ? <p className="hint">Left out: {done.skipped.map((s) => `${s.path} (${s.reason})`).join('; ')}</p> : null}
        </div>
      ) : (
        <>
          <p className="wizard-intro">One .trellis file with the project files and a manifest of their SHA-256; never .env or secret values.</p>
          <Field label="Bundle file" hint="Outside the project folder; .trellis is added when missing.">
            {({ id, describedBy }) => (
              <div className="input-with-button">
                <input id={id} aria-describedby={describedBy} value={file} spellCheck={false} data-autofocus disabled={!!task} onChange={(e) => setFile(e.target.value)} />
                <button type="button" onClick={() => setPicking(true)} disabled={!!task}>
                  <Icon name="open" /> Browse…
                </button>
              </div>
            )}
          </Field>
          {dirty ? <UnsavedChoice name={name} value={policy} onChange={setPolicy} verb="export" /> : null}
          {task ? <TaskProgress task={task} event={progress.event} elapsedMs={progress.elapsedMs} cancelling={cancelling} onCancel={cancel} /> : null}
          {error ? (
            <p className="field-error bundle-error" role="alert">
              {error}
            </p>
          ) : null}
        </>
      )}
    </Modal>
  );
}
