/** Namespaces of WSDL 1.1, its SOAP and HTTP bindings, and XML Schema (with the drafts old WSDLs still use). */
export const NS = {
  WSDL: 'http://schemas.xmlsoap.org/wsdl/',
  WSDL20: 'http://www.w3.org/ns/wsdl',
  SOAP11: 'http://schemas.xmlsoap.org/wsdl/soap/',
  SOAP12: 'http://schemas.xmlsoap.org/wsdl/soap12/',
  HTTP: 'http://schemas.xmlsoap.org/wsdl/http/',
  XSD: 'http://www.w3.org/2001/XMLSchema',
  SOAPENC11: 'http://schemas.xmlsoap.org/soap/encoding/',
  SOAPENC12: 'http://www.w3.org/2003/05/soap-encoding',
} as const;

const XSD_NAMESPACES = new Set<string>([NS.XSD, 'http://www.w3.org/2000/10/XMLSchema', 'http://www.w3.org/1999/XMLSchema']);

export function isXsd(ns: string | null | undefined): boolean {
  return !!ns && XSD_NAMESPACES.has(ns);
}

export function isSoapEncoding(ns: string | null | undefined): boolean {
  return ns === NS.SOAPENC11 || ns === NS.SOAPENC12;
}

/** `{namespace}local` (Clark notation), the key of every named WSDL and schema component. */
export function clark(ns: string | null | undefined, local: string): string {
  return ns ? `{${ns}}${local}` : local;
}

export function splitClark(name: string): { ns?: string; local: string } {
  const m = /^\{([^}]*)\}(.*)$/.exec(name);
  return m ? { ns: m[1], local: m[2]! } : { local: name };
}

export function localOf(name: string): string {
  return splitClark(name).local;
}

/** Child elements of `el`, optionally only those in namespace `ns` (a predicate for XML Schema's several) named `local`. */
export function childElements(el: Element, ns?: string | ((ns: string | null) => boolean), local?: string): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType !== 1) continue;
    const c = n as Element;
    if (ns !== undefined && (typeof ns === 'function' ? !ns(c.namespaceURI) : c.namespaceURI !== ns)) continue;
    if (local !== undefined && c.localName !== local) continue;
    out.push(c);
  }
  return out;
}

export function xsdChildren(el: Element, local?: string): Element[] {
  return childElements(el, isXsd, local);
}

/** The text of a documentation child (wsdl:documentation or xsd:annotation/documentation), whitespace collapsed. */
export function documentation(el: Element): string | undefined {
  const docs = [...childElements(el, NS.WSDL, 'documentation'), ...xsdChildren(el, 'annotation').flatMap((a) => xsdChildren(a, 'documentation'))];
  const text = docs
    .map((d) => (d.textContent ?? '').replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join(' ');
  if (!text) return undefined;
  return text.length > 500 ? `${text.slice(0, 497)}...` : text;
}

/** The element's path for warnings: `/definitions/portType[@name='Q']/operation[@name='get']`. */
export function pointerOf(el: Element): string {
  const parts: string[] = [];
  for (let n: Node | null = el; n && n.nodeType === 1; n = n.parentNode) {
    const e = n as Element;
    const name = e.getAttribute('name');
    parts.unshift(name ? `${e.localName}[@name='${name}']` : (e.localName ?? e.nodeName));
  }
  return `/${parts.join('/')}`;
}

/** 1-based line of an element (xmldom records it). */
export function lineOf(el: Element): number | undefined {
  return (el as unknown as { lineNumber?: number }).lineNumber;
}
