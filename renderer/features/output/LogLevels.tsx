import { useEffect, useState } from 'react';
import type { JSX } from 'react';
import type { Result, StudioApi } from '../../../src/contract/index.js';
import '../../styles/testing.css';

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
type Level = (typeof LEVELS)[number];
const RUNTIME_KEY = 'trellis.runtimeAdmin';

function errorText(e: unknown): string {
  const err = e as { code?: string; message?: string };
  return `${err.code ? `${err.code}: ` : ''}${err.message ?? String(e)}`;
}

function savedRuntime(): { url: string; project: string } {
  try {
    const v = JSON.parse(window.localStorage.getItem(RUNTIME_KEY) ?? '{}') as { url?: string; project?: string };
    return { url: v.url ?? 'http://127.0.0.1:8080', project: v.project ?? '' };
  } catch {
    return { url: 'http://127.0.0.1:8080', project: '' };
  }
}

/**
 * Log levels per category: applied to the studio at once, or sent to a running runtime through its
 * admin API (URL + admin token; the token is never stored).
 */
export function LogLevels({ api, onClose }: { api: StudioApi; onClose: () => void }): JSX.Element {
  const [current, setCurrent] = useState<Result<'logs.getLevels'> | null>(null);
  const [edits, setEdits] = useState<Record<string, Level | ''>>({});
  const [runtime, setRuntime] = useState(savedRuntime);
  const [token, setToken] = useState('');
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api['logs.getLevels']({}).then(setCurrent, (e: unknown) => setMessage({ text: errorText(e), error: true }));
  }, [api]);

  const levels = (): Record<string, Level> => {
    const out: Record<string, Level> = {};
    for (const [k, v] of Object.entries(edits)) if (v) out[k] = v;
    return out;
  };

  const apply = async (toRuntime: boolean) => {
    const wanted = levels();
    if (!Object.keys(wanted).length) {
      setMessage({ text: 'Choose a level for at least one category first.', error: true });
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      if (toRuntime) {
        try {
          window.localStorage.setItem(RUNTIME_KEY, JSON.stringify(runtime));
        } catch {}
        const r = await api['logs.setLevels']({ levels: wanted, runtime: { url: runtime.url.trim(), token, ...(runtime.project.trim() ? { project: runtime.project.trim() } : {}) } });
        setMessage({ text: r.runtime?.message ?? 'sent', error: r.runtime?.ok !== true });
      } else {
        const r = await api['logs.setLevels']({ levels: wanted });
        setCurrent((c) => (c ? { ...c, ...r.levels } : c));
        setEdits({});
        setMessage({ text: 'The studio uses the new levels now.', error: false });
      }
    } catch (e) {
      setMessage({ text: errorText(e), error: true });
    } finally {
      setBusy(false);
    }
  };

  const categories = ['default', ...(current?.known ?? [])];
  return (
    <div className="op-levels" role="dialog" aria-label="Log levels" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div className="ll-grid">
        {categories.map((c) => {
          const now = c === 'default' ? current?.default : current?.categories[c];
          return (
            <label key={c} style={{ display: 'contents' }}>
              <span>{c === 'default' ? 'default (other categories)' : c}</span>
              <select aria-label={`Level of ${c}`} value={edits[c] ?? ''} onChange={(e) => setEdits({ ...edits, [c]: e.target.value as Level | '' })}>
                <option value="">{now ? `${now} (now)` : 'default'}</option>
                {LEVELS.map((l) => (
                  <option key={l} value={l}>
                    {l}
                  </option>
                ))}
              </select>
            </label>
          );
        })}
      </div>
      <button type="button" className="op-button" disabled={busy} onClick={() => void apply(false)}>
        Apply to the studio
      </button>
      <div className="ll-section">
        <div>Send to a running runtime (its admin API, started with TRELLIS_ADMIN_TOKEN):</div>
        <input aria-label="Runtime URL" placeholder="http://127.0.0.1:8080" value={runtime.url} onChange={(e) => setRuntime({ ...runtime, url: e.target.value })} />
        <input aria-label="Admin token" type="password" placeholder="admin token" value={token} onChange={(e) => setToken(e.target.value)} />
        <input aria-label="Runtime project" placeholder="project (all when empty)" value={runtime.project} onChange={(e) => setRuntime({ ...runtime, project: e.target.value })} />
        <button type="button" className="op-button" disabled={busy || !runtime.url.trim() || !token} onClick={() => void apply(true)}>
          Send to runtime
        </button>
      </div>
      {message && (
        <div className={message.error ? 'rx-error' : 'rx-note'} role={message.error ? 'alert' : 'status'}>
          {message.text}
        </div>
      )}
      <button type="button" className="op-button" onClick={onClose}>
        Close
      </button>
    </div>
  );
}
