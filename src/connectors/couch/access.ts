import type { PouchDoc } from './pouch.js';

/**
 * FullSync access rules, enforced by the server on every read and write of a replicating client:
 * - a document written on behalf of an authenticated user belongs to that user: the server stamps
 *   `trellis_owner` with the user's subject (a client cannot set or change it);
 * - a document may name `channels` (strings): users holding one of those channels as a role see it too,
 *   and the channel "*" means every authenticated user;
 * - documents written by anonymous callers (only where the database allows anonymous replication) or by
 *   sequences with no user have no owner: anonymous callers see those, and authenticated users see them only
 *   through channels;
 * - design documents are readable by everyone who may replicate, and written only by the server.
 */
export const OWNER_FIELD = 'trellis_owner';

export interface Reader {
  authenticated: boolean;
  subject?: string;
  roles: readonly string[];
}

export function ownerOf(doc: Pick<PouchDoc, string> | undefined): string | undefined {
  const v = doc?.[OWNER_FIELD];
  return typeof v === 'string' ? v : undefined;
}

function channelsOf(doc: Pick<PouchDoc, string>): string[] {
  const v = doc.channels;
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((c): c is string => typeof c === 'string') : [];
}

/** Who the reader is, as an owner value: the subject, or undefined for anonymous callers. */
export function identity(reader: Reader): string | undefined {
  return reader.authenticated ? (reader.subject ?? '') : undefined;
}

export function canSee(doc: Pick<PouchDoc, string> & { _id: string }, reader: Reader): boolean {
  if (doc._id.startsWith('_design/')) return true;
  const owner = ownerOf(doc);
  const me = identity(reader);
  if (owner !== undefined && me !== undefined && owner === me) return true;
  if (owner === undefined && me === undefined) return true;
  if (!reader.authenticated) return false;
  const channels = channelsOf(doc);
  return channels.includes('*') || channels.some((c) => reader.roles.includes(c));
}

/** The document as the server stores it: the owner is the stored one, or the writer for a new document. */
export function stamp(doc: PouchDoc, stored: Pick<PouchDoc, string> | undefined, writer: Reader | undefined): PouchDoc {
  const owner = stored ? ownerOf(stored) : writer ? identity(writer) : undefined;
  const { [OWNER_FIELD]: _dropped, ...rest } = doc;
  return owner === undefined ? (rest as PouchDoc) : { ...rest, _id: doc._id, [OWNER_FIELD]: owner };
}
