/** An error in CouchDB's shape ({ error, reason } with its status): what PouchDB clients understand. */
export class CouchError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'CouchError';
  }
}

export const forbidden = (reason: string) => new CouchError(403, 'forbidden', reason);
export const notFound = (reason = 'missing') => new CouchError(404, 'not_found', reason);
export const badRequest = (reason: string) => new CouchError(400, 'bad_request', reason);

/** Any error as CouchDB would answer it: PouchDB's own errors carry status/name/reason already. */
export function asCouchError(e: unknown): CouchError {
  if (e instanceof CouchError) return e;
  const err = e as { status?: number; name?: string; error?: string; reason?: string; message?: string };
  if (typeof err?.status === 'number' && err.status >= 400 && err.status < 600)
    return new CouchError(err.status, String(err.name ?? err.error ?? 'error'), String(err.reason ?? err.message ?? 'error'));
  return new CouchError(500, 'internal_server_error', 'the FullSync endpoint failed (see the runtime log)');
}
