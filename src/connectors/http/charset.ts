import iconv from 'iconv-lite';

/**
 * Response bytes to text. The charset comes from the Content-Type header; without one, a byte order mark or
 * (for XML) the encoding of the XML declaration decides, and UTF-8 is the fallback. Non-UTF-8 charsets
 * (ISO-8859-1, windows-1252, Shift_JIS, EUC-JP, GB18030, UTF-16...) are decoded with iconv-lite.
 */

const UTF8 = new Set(['utf-8', 'utf8', 'us-ascii', 'ascii']);

export function charsetOf(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const m = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType);
  return m ? m[1]!.toLowerCase() : undefined;
}

function sniff(body: Buffer, xml: boolean): string | undefined {
  if (body.length >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return 'utf-8';
  if (body.length >= 2 && body[0] === 0xff && body[1] === 0xfe) return 'utf-16le';
  if (body.length >= 2 && body[0] === 0xfe && body[1] === 0xff) return 'utf-16be';
  if (xml && body.length > 5 && body[0] === 0x3c && body[1] === 0x3f) {
    const head = body.subarray(0, 200).toString('latin1');
    const m = /^<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
    if (m) return m[1]!.toLowerCase();
  }
  return undefined;
}

export interface Decoded {
  text: string;
  charset: string;
  /** set when the declared charset is unknown and UTF-8 was used instead */
  unknownCharset?: string;
}

/** Decodes a body; a leading byte order mark is dropped. */
export function decodeText(body: Buffer, contentType: string | undefined, xml = false): Decoded {
  let charset = charsetOf(contentType) ?? sniff(body, xml) ?? 'utf-8';
  let unknownCharset: string | undefined;
  let text: string;
  if (UTF8.has(charset)) text = body.toString('utf8');
  else if (iconv.encodingExists(charset)) text = iconv.decode(body, charset);
  else {
    unknownCharset = charset;
    charset = 'utf-8';
    text = body.toString('utf8');
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { text, charset, unknownCharset };
}
