import { useState } from 'react';
import type { JSX } from 'react';
import type { ExecutionResult, StudioApi } from '../../../src/contract/index.js';
import { setStubMode, useStubMode } from './stub-mode.js';
import { proposedFileName } from './test-model.js';

export interface RunExtrasProps {
  api: StudioApi;
  project: string;
  target: string | null;
  kind: 'transaction' | 'sequence';
  /** the last result shown in the run panel */
  result: ExecutionResult | null;
  /** opens the Tests panel (after a case was written) */
  onShowTests?: () => void;
}

function errorText(e: unknown): string {
  const err = e as { code?: string; message?: string };
  return `${err.code ? `${err.code}: ` : ''}${err.message ?? String(e)}`;
}

/**
 * The run panel's test tools: the stub-mode toggle, "Create test case from this execution" and
 * "Create stub from current response" (transactions).
 */
export function RunExtras({ api, project, target, kind, result, onShowTests }: RunExtrasProps): JSX.Element {
  const stubs = useStubMode(project);
  const [form, setForm] = useState<{ file: string; name: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<{ text: string; error?: boolean; tests?: boolean } | null>(null);
  const done = result?.ok ? result : null;

  const createCase = async () => {
    if (!form || !done) return;
    setBusy(true);
    try {
      const r = await api['tests.createFromExecution']({ project, runId: done.runId, file: form.file.trim(), name: form.name.trim() });
      setForm(null);
      setNote({ text: `${r.replaced ? 'Replaced' : 'Added'} “${form.name.trim()}” in ${r.file}${r.notes.length ? ` — ${r.notes.join('; ')}` : ''}`, tests: true });
    } catch (e) {
      setNote({ text: errorText(e), error: true });
    } finally {
      setBusy(false);
    }
  };

  const createStub = async () => {
    if (!done) return;
    setBusy(true);
    try {
      const r = await api['stub.create']({ project, runId: done.runId });
      setNote({ text: `Wrote ${r.file}: stub mode answers ${r.target} from it` });
    } catch (e) {
      setNote({ text: errorText(e), error: true });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="rx" role="group" aria-label="Test tools">
      <label className="rx-check" title="Answer transactions from stubs/<connector>.<transaction>.json instead of their backends">
        <input type="checkbox" checked={stubs} onChange={(e) => setStubMode(project, e.target.checked)} /> Stub mode
      </label>
      {done && target && !form && (
        <button type="button" className="rp-button" disabled={busy} onClick={() => setForm({ file: proposedFileName(target), name: `${target} case` })}>
          Create test case…
        </button>
      )}
      {done && target && kind === 'transaction' && !form && (
        <button type="button" className="rp-button" disabled={busy} onClick={() => void createStub()} title="Write this response to stubs/ for stub mode">
          Create stub
        </button>
      )}
      {form && (
        <form
          className="rx-form"
          aria-label="Create test case"
          onSubmit={(e) => {
            e.preventDefault();
            void createCase();
          }}
          onKeyDown={(e) => {
            if (e.key === 'Escape') setForm(null);
          }}
        >
          <label>
            tests/
            <input aria-label="Test file" value={form.file} onChange={(e) => setForm({ ...form, file: e.target.value })} autoFocus />
            .yaml
          </label>
          <input aria-label="Case name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
          <button type="submit" className="rp-button" disabled={busy || !form.file.trim() || !form.name.trim()}>
            Save case
          </button>
          <button type="button" className="rp-button" onClick={() => setForm(null)}>
            Cancel
          </button>
        </form>
      )}
      {note && (
        <span className={note.error ? 'rx-error' : 'rx-note'} role={note.error ? 'alert' : 'status'}>
          {note.text}
          {note.tests && onShowTests && (
            <>
              {' '}
              <button type="button" className="rp-button" onClick={onShowTests}>
                Open Tests
              </button>
            </>
          )}
        </span>
      )}
    </div>
  );
}
