import { TrellisError } from '../../engine/errors.js';
import type { Json } from '../../model/json.js';
import type { TxResult } from '../connector-kind.js';
import { decodeText } from '../http/charset.js';
import { XmlSyntaxError, xmlToJson } from '../http/xml-to-json.js';
import { faultData, findFault } from './fault.js';
import { decodeMtom, isMultipartRelated } from './mtom.js';
import { children, findEnvelope } from './result.js';
import type { Exchange } from './transport.js';

/**
 * A SOAP response → a result:
 * - a Fault in the body (whatever the HTTP status) → status 500, data `{ faultcode, faultstring, detail }`;
 * - an envelope → data is the Body's content (`{ <response element>: ... }`, see result.ts), status as sent;
 * - an HTTP error status without an envelope (401 from a proxy, an HTML error page) → a result with that
 *   status, the data mapped from XML when the body is XML, else its text;
 * - an empty 2xx body (or an empty Body): null for a one-way operation; an empty 2xx body is a BAD_RESPONSE
 *   error otherwise;
 * - a 2xx body that is no SOAP envelope → a BAD_RESPONSE error.
 * The raw response XML is kept in `xml`; an MTOM (multipart/related) response is read from its root part, with
 * the attachments it includes inlined as base64 (mtom.ts).
 */

export interface ReadOptions {
  ms: number;
  oneWay: boolean;
  arrays: ReadonlySet<string>;
  /** `<operation> (POST <url>)`, for messages */
  what: string;
}

function snippet(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 120 ? `${one.slice(0, 117)}...` : one;
}

export function readExchange(ex: Exchange, opts: ReadOptions): TxResult {
  const contentType = ex.headers['content-type'];
  const { text } = isMultipartRelated(contentType) ? { text: decodeMtom(ex.body, contentType!, opts.what) } : decodeText(ex.body, contentType, true);
  const meta: TxResult['meta'] = { status: ex.status, statusText: ex.statusText, headers: ex.headers, ms: opts.ms, bytes: ex.body.length, url: ex.url, method: 'POST' };
  if (contentType) meta.contentType = contentType;
  const failed = ex.status >= 400;
  if (!text.trim()) {
    if (failed || opts.oneWay) return { data: failed ? '' : null, meta };
    throw new TrellisError('BAD_RESPONSE', `${opts.what}: HTTP ${ex.status} with an empty body, where a SOAP envelope was expected`, { details: { status: ex.status } });
  }
  let doc: Json;
  try {
    doc = xmlToJson(text);
  } catch (e) {
    if (!(e instanceof XmlSyntaxError)) throw e;
    if (failed) return { data: text, meta };
    throw new TrellisError('BAD_RESPONSE', `${opts.what}: the response is not XML (${e.message}): ${snippet(text)}`, { details: { status: ex.status, contentType } });
  }
  const envelope = findEnvelope(doc);
  if (!envelope) {
    if (failed) return { data: doc, xml: text, meta };
    throw new TrellisError('BAD_RESPONSE', `${opts.what}: the response is XML but not a SOAP envelope: ${snippet(text)}`, { details: { status: ex.status, contentType } });
  }
  const fault = findFault(envelope);
  if (fault !== undefined) {
    return { data: faultData(fault, envelope, opts.arrays) as Json, xml: text, meta: { ...meta, status: 500, statusText: 'SOAP fault' } };
  }
  const data = children(envelope.body, envelope.scope, opts.arrays);
  return { data: opts.oneWay && !Object.keys(data).length ? null : data, xml: text, meta };
}
