import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { XmlSyntaxError, stripDoctype, xmlToJson } from '../../src/connectors/http/xml-to-json.js';
import { send, startServer, type TestServer } from '../helpers/http-server.js';
import { closeAll, openHttp, run, tx } from './http-harness.js';

describe('XML → JSON mapping', () => {
  it('root element as the top-level key, attributes as @name, text-only elements as strings', () => {
    expect(xmlToJson('<order id="7"><code>007</code><paid>true</paid><total>12.50</total></order>')).toEqual({
      order: { '@id': '7', code: '007', paid: 'true', total: '12.50' },
    });
  });

  it('#text beside attributes and children', () => {
    expect(xmlToJson('<r><price currency="EUR">9.90</price></r>')).toEqual({ r: { price: { '@currency': 'EUR', '#text': '9.90' } } });
    expect(xmlToJson('<p>Hello <b>you</b>!</p>')).toEqual({ p: { b: 'you', '#text': 'Hello!' } });
  });

  it('repeated siblings become arrays in document order, single ones do not', () => {
    expect(xmlToJson('<r><i>1</i><x/><i>2</i><i><j>3</j></i><one>1</one></r>')).toEqual({ r: { i: ['1', '2', { j: '3' }], x: '', one: '1' } });
  });

  it('empty elements are "", or the object of their attributes', () => {
    expect(xmlToJson('<r><a/><b></b><c k="v"/><d>  </d></r>')).toEqual({ r: { a: '', b: '', c: { '@k': 'v' }, d: '' } });
    expect(xmlToJson('<r/>')).toEqual({ r: '' });
  });

  it('keeps namespace prefixes on elements and attributes', () => {
    const xml =
      '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns="urn:default"><soap:Body><m:Result xmlns:m="urn:m" m:kind="x">ok</m:Result></soap:Body></soap:Envelope>';
    expect(xmlToJson(xml)).toEqual({
      'soap:Envelope': {
        '@xmlns:soap': 'http://schemas.xmlsoap.org/soap/envelope/',
        '@xmlns': 'urn:default',
        'soap:Body': { 'm:Result': { '@xmlns:m': 'urn:m', '@m:kind': 'x', '#text': 'ok' } },
      },
    });
  });

  it('decodes the five XML entities and character references, in text and attributes', () => {
    expect(xmlToJson('<r a="&quot;x&quot; &amp; &apos;y&apos;">&lt;tag&gt; &#233;&#xE9; &#x1F600;</r>')).toEqual({ r: { '@a': `"x" & 'y'`, '#text': '<tag> éé 😀' } });
  });

  it('CDATA is text; comments, processing instructions and the declaration are dropped', () => {
    expect(xmlToJson('<?xml version="1.0"?><!-- c --><?pi x?><r><a><![CDATA[<not> & markup]]></a><!-- c2 --></r>')).toEqual({ r: { a: '<not> & markup' } });
  });

  it('prefixes names that clash with object internals', () => {
    const data = xmlToJson('<r><constructor>c</constructor><__proto__>p</__proto__><toString>s</toString><prototype/></r>') as Record<string, any>;
    expect(data).toEqual({ r: { __constructor: 'c', ____proto__: 'p', __toString: 's', __prototype: '' } });
    expect(Object.getPrototypeOf(data.r)).toBe(Object.prototype);
  });

  it('never expands DOCTYPE entities: no XXE, no entity bomb', () => {
    const xxe = '<?xml version="1.0"?>\n<!DOCTYPE r [\n  <!ENTITY xxe SYSTEM "file:///etc/passwd">\n  <!ENTITY inner "INNER">\n]>\n<r><a>&xxe;</a><b k="&inner;">&inner;</b></r>';
    expect(xmlToJson(xxe)).toEqual({ r: { a: '&xxe;', b: { '@k': '&inner;', '#text': '&inner;' } } });
    const bomb =
      '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]><lolz>&lol2;</lolz>';
    expect(xmlToJson(bomb)).toEqual({ lolz: '&lol2;' });
  });

  it('blanks a DOCTYPE keeping line breaks, so error lines stay right', () => {
    const xml = '<!DOCTYPE r [\n<!ENTITY a "]>">\n]>\n<r/>';
    const stripped = stripDoctype(xml);
    expect(stripped.split('\n').length).toBe(4);
    expect(stripped.trim()).toBe('<r/>');
  });

  it('leaves DOCTYPE-like text inside the document alone', () => {
    expect(xmlToJson('<r><![CDATA[<!DOCTYPE html><p>x</p>]]></r>')).toEqual({ r: '<!DOCTYPE html><p>x</p>' });
    expect(stripDoctype('<?xml version="1.0"?>\n<!-- c --><!DOCTYPE r><r/>')).toBe(`<?xml version="1.0"?>\n<!-- c -->${' '.repeat('<!DOCTYPE r>'.length)}<r/>`);
  });

  it('reports malformed XML with its line and column', () => {
    let error: unknown;
    try {
      xmlToJson('<!DOCTYPE r>\n<r>\n  <a>1</b>\n</r>');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(XmlSyntaxError);
    expect((error as XmlSyntaxError).line).toBe(3);
    expect((error as XmlSyntaxError).message).toMatch(/^Expected closing tag 'a' \(opened in line 3, col 3\) instead of closing tag 'b' at line 3 column \d+$/);
    expect(() => xmlToJson('just text')).toThrow(XmlSyntaxError);
    expect(() => xmlToJson('<r></r>trailing')).toThrow(/at line 1 column/);
  });
});

describe('XML over HTTP is parsed without external entities', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({
      '/xxe': (_req, res) =>
        send(res, 200, '<?xml version="1.0"?><!DOCTYPE data [<!ENTITY file SYSTEM "file:///etc/hostname"><!ENTITY net SYSTEM "http://127.0.0.1:1/x">]><data><f>&file;</f><n>&net;</n></data>', {
          'content-type': 'application/xml',
        }),
    });
  });
  afterAll(() => server.close());
  afterEach(closeAll);

  it('keeps the entity references as written and fetches nothing', async () => {
    const h = await openHttp({ host: server.host });
    const r = await run(h, tx({ path: '/xxe', type: 'xml' }));
    expect(r.data).toEqual({ data: { f: '&file;', n: '&net;' } });
    expect(server.requests.length).toBe(1);
  });
});
