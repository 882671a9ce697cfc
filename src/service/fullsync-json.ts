import { TrellisError } from '../engine/errors.js';

/** Line and column (1-based) of a character offset in `text`. */
export function lineCol(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, col: lines[lines.length - 1]!.length + 1 };
}

/** JSON.parse whose error names the line and column, so the editor can point at it. */
export function parseJsonText(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const position = /position (\d+)/.exec(message);
    const reason = message.replace(/\s*(in JSON )?at position \d+.*$/s, '');
    // V8 names no position for some short inputs ("Unexpected token 'i', "title" is not valid JSON")
    if (!position) throw new TrellisError('BAD_VARIABLE', `${what}: ${reason}`);
    const { line, col } = lineCol(text, Number(position[1]));
    throw new TrellisError('BAD_VARIABLE', `${what}: line ${line}, column ${col}: ${reason}`, { details: { line, col } });
  }
}

// CouchDB refuses other top-level fields starting with _ ("Bad special document member")
const SPECIAL_FIELDS = new Set(['_id', '_rev', '_deleted', '_attachments', '_revisions', '_conflicts']);

/** A document to write: an object whose _id is a non-empty string, and no unknown `_` field. */
export function checkDocument(value: unknown): Record<string, unknown> & { _id?: string; _rev?: string } {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new TrellisError('BAD_VARIABLE', `a document is a JSON object ({ ... }), not ${Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`}`);
  const doc = value as Record<string, unknown>;
  if ('_id' in doc) {
    const id = doc._id;
    if (typeof id !== 'string' || id === '') throw new TrellisError('BAD_VARIABLE', '_id is a non-empty string (or leave it out and the store picks one)');
    if (id.startsWith('_') && !id.startsWith('_design/') && !id.startsWith('_local/'))
      throw new TrellisError('BAD_VARIABLE', `_id "${id}": ids starting with _ are reserved (only _design/… and _local/…)`);
  }
  if ('_rev' in doc && typeof doc._rev !== 'string') throw new TrellisError('BAD_VARIABLE', '_rev is a string like "1-abc…" (the revision you read)');
  for (const k of Object.keys(doc)) if (k.startsWith('_') && !SPECIAL_FIELDS.has(k)) throw new TrellisError('BAD_VARIABLE', `field ${k}: top-level fields starting with _ are reserved by CouchDB; rename it`);
  return doc as Record<string, unknown> & { _id?: string; _rev?: string };
}

/** A document's fields (without _id and _rev) on one line, cut short, for the documents list. */
export function preview(doc: Record<string, unknown> | null | undefined, max = 120): string {
  if (!doc) return '';
  const { _id: _i, _rev: _r, ...rest } = doc;
  const text = JSON.stringify(rest);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
