import { DOMParser } from '@xmldom/xmldom';
import xpath from 'xpath';
import type { Json } from '../../model/index.js';

/**
 * XPath 1.0 sources on outputs that came from XML (a Call Transaction whose result kept `xml`).
 *
 * Results become JSON this way:
 * - a string, number or boolean expression (`string(/a/b)`, `count(//item)`, `/a/b = 'x'`) gives that value
 *   (NaN gives null);
 * - a node-set gives the text of its nodes (an attribute's value, an element's text content): one node
 *   gives a string, several give an array of strings, none gives nothing (`undefined`). Numbers stay text
 *   unless the expression converts them (`number(/a/price)`).
 * Namespace prefixes declared anywhere in the document (`xmlns:s="..."`) can be used as written; elements
 * in a default namespace are reached with `*[local-name()='price']`.
 */
interface ParsedExpression {
  evaluate(options: { node: unknown; namespaces: Record<string, string> }): unknown;
}

const lib = xpath as unknown as {
  parse(text: string): ParsedExpression;
  XNodeSet: new () => { toArray(): XmlNode[] };
  XString: new () => { stringValue(): string };
  XNumber: new () => { numberValue(): number };
  XBoolean: new () => { booleanValue(): boolean };
};

interface XmlNode {
  nodeType: number;
  nodeValue: string | null;
  textContent: string | null;
  attributes?: { length: number; item(i: number): { name: string; value: string } | null };
  childNodes?: { length: number; item(i: number): XmlNode | null };
}

export class XPathQuery {
  readonly xpath = true;
  readonly singular = false;
  constructor(
    readonly text: string,
    private readonly expression: ParsedExpression,
  ) {}

  evaluate(document: XmlDocument): Json | undefined {
    const result = this.expression.evaluate({ node: document.root, namespaces: document.namespaces });
    if (result instanceof lib.XNodeSet) {
      const nodes = result.toArray();
      if (nodes.length === 0) return undefined;
      if (nodes.length === 1) return nodeText(nodes[0]!);
      return nodes.map(nodeText);
    }
    if (result instanceof lib.XString) return result.stringValue();
    if (result instanceof lib.XNumber) {
      const n = result.numberValue();
      return Number.isFinite(n) ? n : null;
    }
    if (result instanceof lib.XBoolean) return result.booleanValue();
    return undefined;
  }
}

const ATTRIBUTE = 2;

function nodeText(node: XmlNode): string {
  return (node.nodeType === ATTRIBUTE ? node.nodeValue : node.textContent) ?? '';
}

export function compileXPath(text: string): XPathQuery {
  return new XPathQuery(text, lib.parse(text));
}

/** A parsed XML document with the namespace prefixes it declares; parsed once per output and run. */
export class XmlDocument {
  readonly root: unknown;
  readonly namespaces: Record<string, string> = {};

  constructor(readonly xml: string) {
    // xmldom never fetches external entities; a malformed document is an error naming the cause.
    const doc = new DOMParser({ onError: () => undefined }).parseFromString(xml, 'text/xml');
    this.root = doc;
    collectPrefixes(doc.documentElement as unknown as XmlNode | null, this.namespaces);
  }
}

function collectPrefixes(root: XmlNode | null, into: Record<string, string>): void {
  const stack: XmlNode[] = root ? [root] : [];
  while (stack.length) {
    const node = stack.pop()!;
    const attrs = node.attributes;
    if (attrs) {
      for (let i = 0; i < attrs.length; i++) {
        const a = attrs.item(i)!;
        if (a.name.startsWith('xmlns:')) {
          const prefix = a.name.slice(6);
          if (!(prefix in into)) into[prefix] = a.value;
        }
      }
    }
    const children = node.childNodes;
    if (children) for (let i = children.length - 1; i >= 0; i--) if (children.item(i)!.nodeType === 1) stack.push(children.item(i)!);
  }
}
