import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fastXmlToJson } from '../../src/connectors/http/xml-fast-path.js';
import { XmlSyntaxError, fullXmlToJson, xmlToJson } from '../../src/connectors/http/xml-to-json.js';

/**
 * The one-pass road (xml-fast-path.ts) must never change a result: for every document it accepts, the full
 * road (fast-xml-parser's validator + parser) accepts it too and maps it to the same JSON, keys in the same
 * order; every malformed document goes to the full road, which rejects it with a position.
 */

const samples = resolve(import.meta.dirname, '../../../shared/corpus/samples/xml');
const corpus = readdirSync(samples)
  .filter((f) => f.endsWith('.xml'))
  .map((f) => readFileSync(join(samples, f), 'utf8'));

const SOAP =
  '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"  xmlns:tns="http://example.com/stockquote.wsdl"><soap:Body><xsd1:TradePrice xmlns:xsd1="http://example.com/stockquote.xsd"><price>139.5</price><tax>0.2</tax></xsd1:TradePrice></soap:Body></soap:Envelope>';

/** Documents the one-pass road must take itself (else it would be pointless), with every rule of the mapping. */
const plain = [
  SOAP,
  '<order id="7"><code>007</code><paid>true</paid><total>12.50</total></order>',
  '<r><price currency="EUR">9.90</price></r>',
  '<p>Hello <b>you</b>!</p>',
  '<r><i>1</i><x/><i>2</i><i><j>3</j></i><one>1</one></r>',
  '<r><a/><b></b><c k="v"/><d>  </d></r>',
  '<r/>',
  '<r a="&quot;x&quot; &amp; &apos;y&apos;">&lt;tag&gt; &#233;&#xE9; &#x1F600;</r>',
  '<r><a><![CDATA[<not> & markup]]></a><b> x <![CDATA[ y ]]> z </b><c><![CDATA[]]></c></r>',
  '<r><constructor>c</constructor><__proto__>p</__proto__><toString>s</toString><prototype/><valueOf a="1"/></r>',
  '<r k=" padded " e="" q=\'single "quoted"\' t="a\tb\nc"><a   x = "1"\n  y="2" /><b>&unknown; &#0; &1x;</b></r>',
  '<?xml version="1.0"?>\n<r>\n  <a>1</a>\n  <a>2</a>\n</r>\n',
  '<r><m:a xmlns:m="urn:m" m:k="x">t<m:b/>u</m:a><a.b-c_d>1</a.b-c_d></r  >',
  '<r __proto__="x" toString="y"><x>&gt;&gt;]]&gt;</x>plain > text</r>',
  '<r><!-- c --><a> x <!-- c --> y </a><b>1<!-- c --></b><!----></r>',
  '\uFEFF<?xml version="1.0"?>\r\n<r a="1\r\n2">\r\n  <b>x\ry</b>\r\n</r>\r\n',
  ...corpus,
];

/** Malformed documents: each must be rejected by xmlToJson with a position. */
const malformed = [
  '<!DOCTYPE r>\n<r>\n  <a>1</b>\n</r>',
  'just text',
  '<r></r>trailing',
  '<r><a></r>',
  '<r>',
  '<r a="1" a="2"/>',
  '<r a/>',
  '<r a=1/>',
  '<r a="1"b="2"/>',
  '<r>&</r>',
  '<r>& x;</r>',
  '<r></a>',
  '</r>',
  '<1r/>',
  '<r><a></a></r></r>',
  'x<r/>',
  ' <?xml version="1.0"?><r/>',
  '<r a="1></r>',
  '<r>&am<!-- a comment splits the reference -->p;</r>',
];

// deterministic mutations (xorshift), so a failure names a reproducible case
function rng(seed: number): () => number {
  let x = seed || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}
const PIECES = ['<', '>', '/', '&', ';', '"', "'", '=', ' ', '\n', '\t', '#', 'x', '!', '?', '[', ']', '-', 'a', ':', '\r', '&amp;', '<![CDATA[', ']]>', '<!-- c -->', '<!--', '-->', '<?p?>', '<a>', '</a>', '<b/>', ' k="v"', '&#65;', '\uFEFF', '\u00e9'];

function mutate(doc: string, next: () => number): string {
  let out = doc;
  const edits = 1 + Math.floor(next() * 3);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(next() * (out.length + 1));
    const kind = next();
    if (kind < 0.35) out = out.slice(0, at) + out.slice(at + 1 + Math.floor(next() * 3));
    else if (kind < 0.8) out = out.slice(0, at) + PIECES[Math.floor(next() * PIECES.length)] + out.slice(at);
    else {
      const from = Math.floor(next() * out.length);
      out = out.slice(0, at) + out.slice(from, from + 1 + Math.floor(next() * 12)) + out.slice(at);
    }
  }
  return out;
}

/** The full road's outcome: its JSON text, or the error. */
function full(doc: string): { json?: string; error?: unknown } {
  try {
    return { json: JSON.stringify(fullXmlToJson(doc)) };
  } catch (error) {
    return { error };
  }
}

function agrees(doc: string): void {
  const fast = fastXmlToJson(doc);
  if (fast === undefined) return;
  const reference = full(doc);
  expect(reference.error, `the full road refuses what the one-pass road accepted: ${JSON.stringify(doc)}`).toBeUndefined();
  expect(JSON.stringify(fast), `different results for ${JSON.stringify(doc)}`).toBe(reference.json);
}

describe('XML → JSON one-pass road', () => {
  it('takes plain documents itself and maps them exactly as the full road (same keys, same order)', () => {
    for (const doc of plain) {
      const fast = fastXmlToJson(doc);
      expect(fast, `the one-pass road gave up on ${JSON.stringify(doc.slice(0, 80))}`).toBeDefined();
      expect(JSON.stringify(fast)).toBe(JSON.stringify(fullXmlToJson(doc)));
      expect(xmlToJson(doc)).toEqual(fast);
    }
  });

  it('gives every malformed document to the full road, which rejects it with a position', () => {
    for (const doc of malformed) {
      expect(fastXmlToJson(doc), JSON.stringify(doc)).toBeUndefined();
      let error: unknown;
      try {
        xmlToJson(doc);
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(doc)).toBeInstanceOf(XmlSyntaxError);
      expect((error as XmlSyntaxError).line, JSON.stringify(doc)).toBeGreaterThan(0);
      expect((error as XmlSyntaxError).message, JSON.stringify(doc)).toMatch(/ at line \d+ column \d+$/);
    }
  });

  it('gives up on what it does not handle, leaving it to the full road (DOCTYPE entities never expanded)', () => {
    const xxe = '<?xml version="1.0"?>\n<!DOCTYPE r [\n  <!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n<r><a>&xxe;</a></r>';
    for (const doc of [xxe, '<!-- c --><r/>', '<r/><!-- c -->', '<r><?pi x?></r>', '<é/>', '<r a="<"/>', `${'<a>'.repeat(600)}${'</a>'.repeat(600)}`])
      expect(fastXmlToJson(doc), JSON.stringify(doc.slice(0, 60))).toBeUndefined();
    expect(xmlToJson(xxe)).toEqual({ r: { a: '&xxe;' } });
  });

  it('agrees with the full road on thousands of mutated documents', () => {
    const next = rng(0x5eed);
    const seeds = [...plain, ...malformed];
    let taken = 0;
    for (let n = 0; n < 10000; n++) {
      const doc = mutate(seeds[n % seeds.length]!, next);
      if (fastXmlToJson(doc) !== undefined) taken++;
      agrees(doc);
    }
    // the mutations must exercise the one-pass road, not only its giving up
    expect(taken).toBeGreaterThan(600);
  });
});
