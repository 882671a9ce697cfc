import { TrellisError } from '../../engine/errors.js';
import { decodeText } from '../http/charset.js';

/**
 * MTOM/XOP responses (multipart/related): the root part is the SOAP envelope, binary values travel as other
 * parts that the envelope points at with <xop:Include href="cid:..."/>. The envelope is returned with each
 * Include replaced by its part's bytes in base64, which is what the element holds in a plain SOAP message,
 * so the rest of the connector reads it like any response.
 */

interface Part {
  headers: Record<string, string>;
  body: Buffer;
}

const CRLF2 = Buffer.from('\r\n\r\n');

export function isMultipartRelated(contentType: string | undefined): boolean {
  return !!contentType && /^\s*multipart\/related\s*(;|$)/i.test(contentType);
}

/** A parameter of a Content-Type header (quoted or not). */
function param(contentType: string, name: string): string | undefined {
  const m = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(contentType);
  return m ? (m[1] ?? m[2]) : undefined;
}

const cid = (id: string): string => id.trim().replace(/^<|>$/g, '');

function parts(body: Buffer, boundary: string, what: string): Part[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const out: Part[] = [];
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    let start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next < 0) throw new TrellisError('BAD_RESPONSE', `${what}: the MTOM response ends before its closing boundary`);
    if (body.subarray(start, start + 2).toString() === '\r\n') start += 2;
    const headEnd = body.indexOf(CRLF2, start);
    if (headEnd < 0 || headEnd > next) throw new TrellisError('BAD_RESPONSE', `${what}: an MTOM part has no header block`);
    const headers: Record<string, string> = {};
    for (const line of body.subarray(start, headEnd).toString('latin1').split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    // the CRLF before the next delimiter belongs to the delimiter
    let end = next;
    if (body[end - 2] === 0x0d && body[end - 1] === 0x0a) end -= 2;
    const raw = body.subarray(headEnd + 4, end);
    const encoding = headers['content-transfer-encoding']?.toLowerCase();
    out.push({ headers, body: encoding === 'base64' ? Buffer.from(raw.toString('latin1'), 'base64') : raw });
    at = next;
  }
  return out;
}

/** The root envelope of an MTOM response as text, attachments inlined as base64. */
export function decodeMtom(body: Buffer, contentType: string, what: string): string {
  const boundary = param(contentType, 'boundary');
  if (!boundary) throw new TrellisError('BAD_RESPONSE', `${what}: a multipart/related response without a boundary`);
  const all = parts(body, boundary, what);
  const start = param(contentType, 'start');
  const root = (start ? all.find((p) => cid(p.headers['content-id'] ?? '') === cid(start)) : undefined) ?? all[0];
  if (!root) throw new TrellisError('BAD_RESPONSE', `${what}: a multipart/related response without parts`);
  const byId = new Map(all.filter((p) => p !== root && p.headers['content-id']).map((p) => [cid(p.headers['content-id']!), p.body]));
  const { text } = decodeText(root.body, root.headers['content-type'], true);
  const include = /<([\w.-]+:)?Include\b[^>]*?\bhref\s*=\s*(["'])cid:([^"']+)\2[^>]*?(?:\/>|>\s*<\/\1Include\s*>)/g;
  return text.replace(include, (_m, _prefix, _q, ref: string) => {
    const id = decodeURIComponent(ref);
    const data = byId.get(id);
    if (!data) throw new TrellisError('BAD_RESPONSE', `${what}: the envelope includes cid:${id}, which is no part of the MTOM response`);
    return data.toString('base64');
  });
}
