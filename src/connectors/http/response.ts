import { TrellisError } from '../../engine/errors.js';
import type { Logger } from '../../engine/logger.js';
import type { Json } from '../../model/json.js';
import type { TxResult } from '../connector-kind.js';
import { decodeText } from './charset.js';
import type { HttpTransactionType } from './config.js';
import { locateJsonError } from './json-error.js';
import { XmlSyntaxError, xmlToJson } from './xml-to-json.js';

/**
 * A received response into a TxResult, by transaction type:
 * - json: JSON parsed (an empty body is null). An XML content type is read as XML instead (data + raw xml).
 * - xml: XML converted with the mapping of xml-to-json.ts, the raw XML kept in `xml`. A JSON content type is
 *   read as JSON instead.
 * - text: the decoded string. binary: `{ base64, contentType, bytes }`.
 * A body that does not parse is an error (BAD_RESPONSE, naming where) when the status is below 400; with an
 * error status the text itself becomes the data, so the server's explanation is never lost.
 */

export interface ReceivedResponse {
  status: number;
  statusText: string;
  /** lower-cased names, string values */
  headers: Record<string, string>;
  body: Buffer;
  method: string;
  /** the URL to show (secrets masked) */
  url: string;
  ms: number;
}

const XML_TYPE = /[/+]xml\b/i;
const JSON_TYPE = /[/+]json\b/i;

function excerpt(text: string): string {
  const s = text.slice(0, 200).replace(/\s+/g, ' ').trim();
  return text.length > 200 ? `${s}…` : s;
}

function badResponse(r: ReceivedResponse, what: string, contentType: string | undefined, text: string, where?: { line: number; column: number }): TrellisError {
  return new TrellisError('BAD_RESPONSE', `${r.method} ${r.url}: ${what}; status ${r.status}, content-type was ${contentType || '(none)'}`, {
    details: { status: r.status, contentType, line: where?.line, column: where?.column, excerpt: excerpt(text) },
  });
}

function parseJson(r: ReceivedResponse, text: string, contentType: string | undefined): Json {
  if (!text) return null;
  try {
    return JSON.parse(text) as Json;
  } catch (e) {
    if (!/\S/.test(text)) return null;
    if (r.status >= 400) return text;
    const problem = locateJsonError(text, (e as Error).message);
    throw badResponse(r, `the response is not valid JSON (${problem.message})`, contentType, text, problem);
  }
}

function parseXml(r: ReceivedResponse, text: string, contentType: string | undefined): Json {
  try {
    return xmlToJson(text);
  } catch (e) {
    if (r.status >= 400) return text;
    if (e instanceof XmlSyntaxError) throw badResponse(r, `the response is not well-formed XML (${e.message})`, contentType, text, e);
    throw e;
  }
}

export function readResponse(type: HttpTransactionType, r: ReceivedResponse, logger: Logger): TxResult {
  const contentType = r.headers['content-type'];
  const meta = {
    status: r.status,
    statusText: r.statusText,
    headers: r.headers,
    ms: r.ms,
    bytes: r.body.length,
    contentType,
    url: r.url,
    method: r.method,
  };
  if (type === 'binary') {
    return { data: { base64: r.body.toString('base64'), contentType: contentType ?? 'application/octet-stream', bytes: r.body.length }, meta };
  }

  const xmlish = type === 'xml' ? !(contentType && JSON_TYPE.test(contentType)) : !!contentType && XML_TYPE.test(contentType);
  const decoded = decodeText(r.body, contentType, xmlish);
  if (decoded.unknownCharset) logger.warn({ url: r.url, charset: decoded.unknownCharset }, `${r.method} ${r.url}: unknown charset "${decoded.unknownCharset}", read as UTF-8`);
  const text = decoded.text;

  if (type === 'text') return { data: text, meta };
  if (!xmlish) return { data: parseJson(r, text, contentType), meta };
  if (!text.trim()) return { data: null, xml: text, meta };
  return { data: parseXml(r, text, contentType), xml: text, meta };
}
