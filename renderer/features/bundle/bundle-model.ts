import { StudioApiError } from '../../../src/contract/index.js';

/** Helpers of the Export bundle and Deploy to server dialogs, kept free of React so they read (and test) alone. */

export function splitPath(path: string): { dir: string; name: string; sep: string } {
  const sep = path.includes('\\') && !path.includes('/') ? '\\' : '/';
  const i = path.lastIndexOf(sep);
  return i < 0 ? { dir: '', name: path, sep } : { dir: path.slice(0, i) || sep, name: path.slice(i + 1), sep };
}

export function joinPath(dir: string, name: string, sep = '/'): string {
  return dir.endsWith(sep) ? dir + name : dir + sep + name;
}

export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Where a deploy error sends the person: the field to fix, focused and marked. */
export type DeployField = 'url' | 'token' | null;

export function deployErrorField(error: unknown): DeployField {
  const code = error instanceof StudioApiError ? error.code : '';
  if (code === 'UNAUTHORIZED') return 'token';
  if (['CONNECTION_REFUSED', 'DNS', 'TIMEOUT', 'TLS', 'NETWORK', 'NOT_FOUND', 'BAD_RESPONSE', 'INVALID_CONFIG'].includes(code)) return 'url';
  return null;
}

export function plainMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Admin tokens typed in this window, by server URL: in memory only, gone when the studio closes. They are never
 * sent anywhere but to that server's admin API, and never written to the project or the preferences.
 */
const sessionTokens = new Map<string, string>();

export function rememberedToken(url: string): string {
  return sessionTokens.get(url.trim()) ?? '';
}

export function rememberToken(url: string, token: string): void {
  sessionTokens.set(url.trim(), token);
}

/** Copies text to the clipboard; falls back to a selected hidden field where the Clipboard API is refused. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const field = document.createElement('textarea');
    field.value = text;
    field.style.position = 'fixed';
    field.style.opacity = '0';
    document.body.append(field);
    field.select();
    const ok = document.execCommand('copy');
    field.remove();
    return ok;
  }
}
