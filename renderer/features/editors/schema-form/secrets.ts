import type { Path } from './schema.js';

/** `${env:NAME}`: a secret resolved at run time from the environment, .env or the keychain. */
export const ENV_REFERENCE = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Keys whose values are secrets wherever they appear. */
const SECRET_KEY = /^(.*password|passwd|passphrase|.*token|.*secret|api[-_]?key|private[-_]?key)$/i;

/** The environment variable names referenced by a value: `Bearer ${env:A}` → ['A']. */
export function envReferences(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  return [...value.matchAll(ENV_REFERENCE)].map((m) => m[1]!);
}

/** True when the whole value is one `${env:NAME}` reference. */
export function isEnvReference(value: unknown): boolean {
  return typeof value === 'string' && /^\$\{env:[A-Za-z_][A-Za-z0-9_]*\}$/.test(value.trim());
}

/** True when the field's key (or where it sits) makes it a secret, whatever its value. */
export function isSecretKey(path: Path, parent?: unknown): boolean {
  const key = path[path.length - 1];
  if (typeof key !== 'string') return false;
  if (SECRET_KEY.test(key)) return true;
  // an API key's `value` (auth: { type: apiKey, name, value })
  if (key === 'value' && path.slice(0, -1).some((p) => typeof p === 'string' && /auth/i.test(p))) return true;
  // the default of a variable flagged `secret: true`
  if (key === 'default' && isRecord(parent) && parent.secret === true) return true;
  return false;
}

/**
 * Whether a field is drawn masked: its key says it is a secret, or its value holds an `${env:NAME}`
 * reference.
 */
export function isSecretField(path: Path, value: unknown, parent?: unknown): boolean {
  return isSecretKey(path, parent) || envReferences(value).length > 0;
}

/** What a masked field shows instead of its value. */
export function maskText(value: string): string {
  return value ? '••••••••' : '';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
