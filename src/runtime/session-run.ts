import type { FastifyReply } from 'fastify';
import { SessionCookieJar } from '../engine/cookie-jar.js';
import { coerceVariables } from '../engine/variables.js';
import type { Json, Sequence } from '../model/index.js';
import type { Deployment } from './deployments.js';
import type { ServeContext } from './invoke.js';
import { newSessionId, sessionCookie, sessionIdFrom, sessionKey, type SessionData, type SessionEntry, type SessionStore } from './sessions.js';

/**
 * A stateful sequence's session. Its variables are session variables: a call gets the values the session holds
 * for the declared variables it does not send; the steps read the whole session with `from: session`; after a
 * successful run the variables as the steps left them (Set Variable included, a removed one removed) are
 * written back. An unknown or expired id gets a new session: a client never chooses its session id.
 */
export interface SessionContext {
  id: string;
  key: string;
  /** the whole entry (every project's data) */
  entry: SessionEntry;
  /** this project's data, which `from: session` reads */
  data: SessionData;
  /** the call's variables: the request's, completed from the session, coerced */
  variables: Record<string, unknown>;
  /** the cookies this project's HTTP backends set in this session, sent back on its next calls */
  cookies: SessionCookieJar;
}

/**
 * Where an entry keeps each project's backend cookies: beside the projects' data, under a key no project name
 * can take (names never hold @), so `from: session` never shows them.
 */
export const COOKIES_KEY = '@cookies';

function cookiesOf(entry: SessionEntry, project: string): unknown {
  const all = entry[COOKIES_KEY];
  return all && typeof all === 'object' && !Array.isArray(all) ? all[project] : undefined;
}

export async function loadSession(store: SessionStore, dep: Deployment, sequence: Sequence, cookie: string | undefined, given: Record<string, unknown>): Promise<SessionContext> {
  const known = sessionIdFrom(cookie);
  const stored = known ? await store.get(sessionKey(known)) : undefined;
  const id = stored && known ? known : newSessionId();
  const entry = stored ?? {};
  const own = entry[dep.name];
  const data: SessionData = own && typeof own === 'object' && !Array.isArray(own) ? own : {};
  const merged: Record<string, unknown> = {};
  for (const v of sequence.variables) if (Object.hasOwn(data, v.name)) merged[v.name] = data[v.name];
  Object.assign(merged, given);
  const variables = coerceVariables(sequence.variables, merged, `sequence ${sequence.name}`);
  return { id, key: sessionKey(id), entry, data, variables, cookies: new SessionCookieJar(cookiesOf(entry, dep.name)) };
}

export async function saveSession(ctx: ServeContext, dep: Deployment, session: SessionContext, left: Record<string, Json>, reply: FastifyReply): Promise<void> {
  const next: SessionData = { ...session.data };
  for (const name of Object.keys(session.variables)) if (!Object.hasOwn(left, name)) delete next[name];
  for (const [name, value] of Object.entries(left)) if (value !== undefined) next[name] = value;
  const entry: SessionEntry = { ...session.entry, [dep.name]: next };
  if (session.cookies.changed) entry[COOKIES_KEY] = { ...(entry[COOKIES_KEY] ?? {}), [dep.name]: session.cookies.toJSON() as unknown as Json };
  await ctx.sessions.set(session.key, entry, dep.sessionTtlSeconds);
  reply.header('set-cookie', sessionCookie(session.id, dep.sessionTtlSeconds, ctx.secureCookies));
}
