import { join } from 'node:path';
import type { FastifyRequest } from 'fastify';
import type { Json } from '../model/index.js';
import { sessionUserOf, type ResponseDraft, type RunIO } from '../steps/io.js';
import type { Caller } from './auth.js';
import type { Deployment } from './deployments.js';

// a deployment's project (so its folder) never changes: the path is joined once, not per request
const filesDirs = new WeakMap<Deployment, string>();
function filesDirOf(dep: Deployment): string {
  let dir = filesDirs.get(dep);
  if (dir === undefined) {
    dir = join(dep.project.dir, 'files');
    filesDirs.set(dep, dir);
  }
  return dir;
}

/** What a sequence served by the runtime may reach: the request, its reply's draft, the caller, the project's files/. */
export function runIO(dep: Deployment, request: FastifyRequest, response: ResponseDraft, caller: Caller): RunIO {
  return {
    filesDir: filesDirOf(dep),
    request: { method: request.method, url: request.url, headers: request.headers },
    response,
    caller,
  };
}

/**
 * The caller as the role check sees it: when the project's auth did not identify anyone, a user a Set
 * Authenticated User step put in the session stands in (session-based login); an identified caller wins.
 */
export function sessionCaller(caller: Caller, data: Record<string, Json>): Caller {
  if (caller.authenticated) return caller;
  const user = sessionUserOf(data);
  return user ? { authenticated: true, subject: user.name, roles: user.roles } : caller;
}
