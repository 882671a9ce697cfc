import { LOG_CATEGORIES, type Logs } from '../engine/logger.js';

export interface RuntimeTarget {
  url: string;
  token: string;
  project?: string;
}

/** The studio's levels, with the categories a person can pick from. */
export function studioLevels(logs: Logs) {
  const current = logs.currentLevels();
  return { ...current, known: [...new Set([...LOG_CATEGORIES, 'sequence', ...Object.keys(current.categories)])] };
}

/**
 * Sends levels to a running runtime's admin API (PUT /admin/log-levels); the answer says what happened
 * in words a person can act on, never throws for an unreachable or refusing runtime.
 */
export async function sendLevelsToRuntime(target: RuntimeTarget, levels: Record<string, string>): Promise<{ ok: boolean; status?: number; message: string }> {
  const url = `${target.url.replace(/\/+$/, '')}/admin/log-levels`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'PUT',
      headers: { authorization: `Bearer ${target.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ levels, ...(target.project ? { project: target.project } : {}) }),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    return { ok: false, message: `cannot reach the runtime at ${target.url}: ${cause?.code ?? cause?.message ?? (e as Error).message} (is \`trellis serve\` running there?)` };
  }
  const text = await response.text().catch(() => '');
  if (response.ok) return { ok: true, status: response.status, message: `the runtime at ${target.url} applied the levels` };
  let reason = text.slice(0, 300);
  try {
    const body = JSON.parse(text) as { message?: string; error?: { message?: string } };
    reason = body.error?.message ?? body.message ?? reason;
  } catch {
    // not JSON: the text itself
  }
  const hint =
    response.status === 401
      ? ' (check the admin token: the runtime was started with TRELLIS_ADMIN_TOKEN)'
      : response.status === 404
        ? ' (the runtime has no admin API: start it with TRELLIS_ADMIN_TOKEN set)'
        : '';
  return { ok: false, status: response.status, message: `the runtime at ${target.url} answered ${response.status}: ${reason}${hint}` };
}
