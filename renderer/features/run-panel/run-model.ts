import type { ExecutionResult } from '../../../src/contract/index.js';
import type { Variable } from '../../../src/model/index.js';

/**
 * The run panel's pure parts: variable values as typed, what transaction.execute receives, what the
 * response line says. Tested in test/renderer.
 */

/** A variable's value as the panel holds it: the text typed, or a checkbox state. */
export type VariableValue = string | boolean;
export type VariableValues = Record<string, VariableValue>;

export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** Values are remembered per project and target. */
export function storageKey(project: string, target: string): string {
  return `trellis.run.variables:${project}:${target}`;
}

export function loadValues(storage: StorageLike | undefined, key: string): VariableValues {
  if (!storage) return {};
  try {
    const raw = storage.getItem(key);
    if (!raw) return {};
    const parsed = JSON.parse(raw) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    const out: VariableValues = {};
    for (const [k, v] of Object.entries(parsed)) if (typeof v === 'string' || typeof v === 'boolean') out[k] = v;
    return out;
  } catch {
    return {};
  }
}

/** Remembers the values typed, except secrets (which never leave the panel). */
export function saveValues(storage: StorageLike | undefined, key: string, values: VariableValues, variables: readonly Variable[]): void {
  if (!storage) return;
  const secret = new Set(variables.filter((v) => v.secret).map((v) => v.name));
  const kept: VariableValues = {};
  for (const [k, v] of Object.entries(values)) if (!secret.has(k) && v !== '') kept[k] = v;
  try {
    storage.setItem(key, JSON.stringify(kept));
  } catch {}
}

/** A multivalued variable's text: values separated by commas or new lines. */
export function splitMultivalued(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * The `variables` of transaction.execute. Text is sent as typed (the engine coerces and checks types,
 * so an invalid value comes back as BAD_VARIABLE with its message); empty fields are left out so the
 * engine applies defaults; checkboxes are sent only once touched.
 */
export function toExecuteVariables(variables: readonly Variable[], values: VariableValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const v of variables) {
    const value = values[v.name];
    if (value === undefined) continue;
    if (typeof value === 'boolean') {
      out[v.name] = v.multivalued ? [value] : value;
      continue;
    }
    if (v.multivalued) {
      if (v.type === 'json') {
        if (value.trim() === '') continue;
        try {
          const parsed = JSON.parse(value) as unknown;
          out[v.name] = Array.isArray(parsed) ? parsed : [parsed];
        } catch {
          out[v.name] = [value];
        }
        continue;
      }
      const items = splitMultivalued(value);
      if (items.length) out[v.name] = items;
      continue;
    }
    if (value === '') continue;
    out[v.name] = value;
  }
  return out;
}

/** The text a variable's field starts empty with, as placeholder: its default. */
export function placeholderOf(v: Variable): string {
  if (v.default === undefined || v.default === null) return v.multivalued ? 'a, b, c' : '';
  if (Array.isArray(v.default) && v.type !== 'json') return v.default.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(', ');
  return typeof v.default === 'string' ? v.default : JSON.stringify(v.default);
}

/** Checks a typed value before sending; the engine has the last word. */
export function checkValue(v: Variable, value: VariableValue | undefined): string | undefined {
  if (value === undefined || value === '') return v.required && v.default === undefined ? 'Required' : undefined;
  if (typeof value === 'boolean') return undefined;
  const items = v.multivalued && v.type !== 'json' ? splitMultivalued(value) : [value];
  for (const item of items) {
    const t = item.trim();
    if (v.type === 'integer' && !/^[-+]?\d+$/.test(t)) return `"${item}" is not a whole number`;
    if (v.type === 'number' && !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return `"${item}" is not a number`;
    if (v.type === 'json') {
      try {
        JSON.parse(item);
      } catch (e) {
        return `Invalid JSON: ${(e as Error).message}`;
      }
    }
  }
  return undefined;
}

/** BAD_VARIABLE details ([{ variable, message }]) by variable name. */
export function badVariableMessages(details: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(details)) return out;
  for (const d of details) {
    if (typeof d !== 'object' || d === null) continue;
    const { variable, message } = d as { variable?: unknown; message?: unknown };
    if (typeof variable === 'string' && typeof message === 'string') out[variable] = out[variable] ? `${out[variable]}; ${message}` : message;
  }
  return out;
}

export type StatusClass = 'informational' | 'success' | 'redirect' | 'client-error' | 'server-error' | 'none';

/** The class of an HTTP status, which colours the status line. */
export function statusClass(status: number | undefined): StatusClass {
  if (status === undefined) return 'none';
  if (status >= 500) return 'server-error';
  if (status >= 400) return 'client-error';
  if (status >= 300) return 'redirect';
  if (status >= 200) return 'success';
  return 'informational';
}

/** A size in KB, as the status line shows it: 0.4 KB, 12.3 KB, 1,234 KB. */
export function formatKb(bytes: number | undefined): string {
  if (bytes === undefined) return '—';
  const kb = bytes / 1024;
  if (bytes > 0 && kb < 0.1) return `${kb.toFixed(2)} KB`;
  if (kb < 100) return `${kb.toFixed(1)} KB`;
  return `${Math.round(kb).toLocaleString('en-US')} KB`;
}

/** A duration: 85 ms, 1.24 s, 2 min 3 s. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** What to check for failures that come from the connection, not from the transaction. */
export function errorHint(code: string): string | undefined {
  switch (code) {
    case 'CONNECTION_REFUSED':
      return "Nothing accepted the connection. Check the server address (host) and the port in the connector's Properties, and that the server is running.";
    case 'TIMEOUT':
      return "The server did not answer in time. Check the server address and port in the connector's Properties, or raise its Timeout (ms).";
    case 'TLS':
      return "The secure connection failed. Check the https setting and the port in the connector's Properties (https usually means port 443), and its TLS settings for a self-signed certificate.";
    case 'DNS':
      return "The server name could not be found. Check the host in the connector's Properties: a name or IP without protocol, e.g. api.example.com.";
    case 'NETWORK':
      return "The connection failed. Check the server address, the port and the https setting in the connector's Properties.";
    case 'MISSING_SECRET':
      return 'Define the environment variable it names, in the environment or in the project\'s .env file.';
    case 'BAD_VARIABLE':
      return 'Fix the highlighted values in Variables, then execute again.';
    case 'CANCELLED':
      return 'The execution was stopped.';
    default:
      return undefined;
  }
}

/** The status line's text. */
export function statusLine(result: ExecutionResult): string {
  if (!result.ok) return `${result.error.code} · ${formatMs(result.ms)}`;
  const parts = [
    result.status !== undefined ? `${result.status}${result.statusText ? ` ${result.statusText}` : ''}` : 'Done',
    formatMs(result.ms),
  ];
  // SQL and other results that are not a payload have no size
  if (result.bytes !== undefined) parts.push(formatKb(result.bytes));
  if (result.contentType) parts.push(result.contentType);
  return parts.join(' · ');
}

/** A run id for transaction.execute / run.cancel. */
export function newRunId(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (c?.randomUUID) return c.randomUUID();
  return `run-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}
