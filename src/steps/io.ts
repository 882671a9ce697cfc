import type { Json } from '../model/index.js';

/**
 * What an execution may reach beyond its steps, handed in by whoever runs it (the runtime, the studio,
 * a test, the scheduler): the request being served, the response being shaped, who calls, the clock and
 * where the project's data files live. Every field is optional: a studio run has no request.
 */
export interface RunIO {
  /** absolute folder the file steps work in; default `<project dir>/files` */
  filesDir?: string;
  /** the HTTP request of an exposed sequence (header names lower-case) */
  request?: RequestInfo;
  /** what the runtime applies to its reply once the sequence succeeds */
  response?: ResponseDraft;
  /** who the runtime's auth says is calling */
  caller?: CallerInfo;
  /** milliseconds since the epoch; default Date.now */
  now?: () => number;
}

export interface RequestInfo {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface ResponseDraft {
  status?: number;
  headers: Record<string, string>;
}

export interface CallerInfo {
  authenticated: boolean;
  subject?: string;
  roles: readonly string[];
}

/** The user a Set Authenticated User step put in the session (key SESSION_USER_KEY of the project's session data). */
export interface SessionUser {
  name: string;
  roles: string[];
  [extra: string]: Json;
}

/** Not a valid variable name, so it never collides with a stateful sequence's session variables. */
export const SESSION_USER_KEY = '@user';

/** A session user stored in session data, when the value there has the right shape. */
export function sessionUserOf(data: Record<string, Json> | undefined): SessionUser | undefined {
  const v = data?.[SESSION_USER_KEY];
  if (!v || typeof v !== 'object' || Array.isArray(v) || typeof v.name !== 'string') return undefined;
  const roles = Array.isArray(v.roles) ? v.roles.filter((r): r is string => typeof r === 'string') : [];
  return { ...(v as Record<string, Json>), name: v.name, roles };
}

// RFC 9110 token characters: anything else (CR, LF, spaces, colons) could split or forge headers.
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Connection-level headers belong to the server, not to a sequence (RFC 9110 §7.6.1), nor do framing ones.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'content-length', 'host']);

/** Why a response header cannot be set, or undefined when it can. */
export function headerProblem(name: string, value: string): string | undefined {
  if (!TOKEN.test(name)) return `"${name.slice(0, 60)}" is not a valid header name (letters, digits and !#$%&'*+.^_\`|~- only)`;
  if (HOP_BY_HOP.has(name.toLowerCase())) return `${name} is managed by the server and cannot be set by a sequence`;
  // obs-text is allowed, control characters (CR LF NUL ...) are not: they would inject headers
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value)) return `the value of ${name} contains a control character (CR, LF or NUL): refused to prevent header injection`;
  if (value.length > 8192) return `the value of ${name} is longer than 8192 characters`;
  return undefined;
}
