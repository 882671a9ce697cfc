/**
 * A variable's value as it goes on the wire, per location.
 *
 * Trellis defaults (a variable without `style` or `explode`):
 * - path: URL-encoded; an array's items are joined with ','.
 * - query, form: `name=value`, URL-encoded; an array repeats the parameter (`tag=a&tag=b`).
 * - header: as is; an array's items are joined with ', '.
 * - cookie: URL-encoded; an array's items are joined with ','.
 * - an object (json variable) is sent as JSON text; null is sent as an empty value.
 *
 * OpenAPI serialization (a variable with `style` and/or `explode`, as the OpenAPI import writes them), for
 * value 5, array [3,4,5] and object {role: admin, id: 7}:
 * - path simple (default, explode false): `5`, `3,4,5`, `role,admin,id,7`; explode: `role=admin,id=7`.
 * - path label: `.5`, `.3,4,5` (explode `.3.4.5`), `.role,admin,id,7` (explode `.role=admin.id=7`).
 * - path matrix: `;v=5`, `;v=3,4,5` (explode `;v=3;v=4;v=5`), `;v=role,admin,id,7` (explode `;role=admin;id=7`).
 * - query form (default, explode true): `v=5`, `v=3&v=4&v=5`, `role=admin&id=7`; explode false: `v=3,4,5`,
 *   `v=role,admin,id,7`.
 * - query spaceDelimited / pipeDelimited / tabDelimited (Swagger 2 tsv): `v=3%204%205` / `v=3%7C4%7C5` / `v=3%094%095`.
 * - query deepObject: `v[role]=admin&v[id]=7`.
 * - header simple: `3,4,5`, `role,admin,id,7` (explode `role=admin,id=7`). cookie form: `v=3,4,5`.
 * `allowReserved` keeps RFC 3986 reserved characters (:/?#[]@!$&'()*+,;=) unencoded in query values.
 * The name on the wire is `wireName` when set, else the variable name.
 */

export interface WireSpec {
  /** the name on the wire */
  wire: string;
  type: string;
  multivalued: boolean;
  style?: string;
  explode?: boolean;
  allowReserved: boolean;
}

/** A value as text: strings as is, numbers and booleans printed, null empty, objects as JSON. */
export function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

const RESERVED_ESCAPES = /%(3A|2F|3F|23|5B|5D|40|21|24|26|27|28|29|2A|2B|2C|3B|3D)/gi;

function encodeQuery(s: string, allowReserved: boolean): string {
  const e = encodeURIComponent(s);
  return allowReserved ? e.replace(RESERVED_ESCAPES, (m) => decodeURIComponent(m)) : e;
}

function openApi(spec: WireSpec): boolean {
  return spec.style !== undefined || spec.explode !== undefined;
}

/** Trellis default: an array is a list unless it is the single value of a json variable. */
function isList(spec: WireSpec, v: unknown): v is unknown[] {
  return Array.isArray(v) && (spec.multivalued || spec.type !== 'json');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** What joins the values of a non-exploded array: ',' unless a delimited style says otherwise (URL-encoded or not). */
export function delimiterOf(style: string | undefined, encoded: boolean): string {
  switch (style) {
    case 'spaceDelimited':
      return encoded ? '%20' : ' ';
    case 'pipeDelimited':
      return encoded ? '%7C' : '|';
    case 'tabDelimited':
      return encoded ? '%09' : '\t';
    default:
      return ',';
  }
}

/** Object entries flattened for the non-exploded forms: k1,v1,k2,v2. */
function flat(o: Record<string, unknown>, enc: (s: string) => string): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out.push(enc(k), enc(text(v)));
  return out;
}

function pairs(o: Record<string, unknown>, enc: (s: string) => string): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out.push(`${enc(k)}=${enc(text(v))}`);
  return out;
}

/** A path placeholder's replacement, URL-encoded. */
export function pathValue(spec: WireSpec, v: unknown): string {
  const enc = encodeURIComponent;
  if (!openApi(spec)) return Array.isArray(v) ? v.map((x) => enc(text(x))).join(',') : enc(text(v));
  const style = spec.style ?? 'simple';
  const explode = spec.explode ?? false;
  const name = enc(spec.wire);
  if (style === 'label') {
    if (Array.isArray(v)) return `.${v.map((x) => enc(text(x))).join(explode ? '.' : ',')}`;
    if (isObject(v)) return `.${explode ? pairs(v, enc).join('.') : flat(v, enc).join(',')}`;
    return `.${enc(text(v))}`;
  }
  if (style === 'matrix') {
    if (Array.isArray(v)) return explode ? v.map((x) => `;${name}=${enc(text(x))}`).join('') : `;${name}=${v.map((x) => enc(text(x))).join(',')}`;
    if (isObject(v)) return explode ? pairs(v, enc).map((p) => `;${p}`).join('') : `;${name}=${flat(v, enc).join(',')}`;
    return `;${name}=${enc(text(v))}`;
  }
  if (Array.isArray(v)) return v.map((x) => enc(text(x))).join(',');
  if (isObject(v)) return explode ? pairs(v, enc).join(',') : flat(v, enc).join(',');
  return enc(text(v));
}

/** Query or form fields `key=value`, URL-encoded, for one variable. */
export function queryFields(spec: WireSpec, v: unknown): string[] {
  const enc = (s: string) => encodeQuery(s, spec.allowReserved);
  const key = encodeURIComponent(spec.wire);
  if (!openApi(spec)) {
    if (!isList(spec, v)) return [`${key}=${enc(text(v))}`];
    const out: string[] = [];
    for (const item of v) if (item !== undefined) out.push(`${key}=${enc(text(item))}`);
    return out;
  }
  const style = spec.style ?? 'form';
  const explode = spec.explode ?? (style === 'form' || style === 'deepObject');
  if (style === 'deepObject' && isObject(v)) {
    const out: string[] = [];
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out.push(`${key}[${encodeURIComponent(k)}]=${enc(text(x))}`);
    return out;
  }
  const delimiter = delimiterOf(style, true);
  if (Array.isArray(v)) {
    if (explode) return v.filter((x) => x !== undefined).map((x) => `${key}=${enc(text(x))}`);
    return [`${key}=${v.map((x) => enc(text(x))).join(delimiter)}`];
  }
  if (isObject(v)) return explode ? pairs(v, enc) : [`${key}=${flat(v, enc).join(delimiter)}`];
  return [`${key}=${enc(text(v))}`];
}

/** A header value (not encoded). */
export function headerValue(spec: WireSpec, v: unknown): string {
  if (!openApi(spec)) return isList(spec, v) ? v.map(text).join(', ') : text(v);
  const id = (s: string) => s;
  if (Array.isArray(v)) return v.map(text).join(',');
  if (isObject(v)) return spec.explode ? pairs(v, id).join(',') : flat(v, id).join(',');
  return text(v);
}

/** A cookie `name=value` pair, the value URL-encoded. */
export function cookiePair(spec: WireSpec, v: unknown): string {
  const enc = encodeURIComponent;
  if (!openApi(spec)) return `${spec.wire}=${isList(spec, v) ? v.map((x) => enc(text(x))).join(',') : enc(text(v))}`;
  if (Array.isArray(v)) return `${spec.wire}=${v.map((x) => enc(text(x))).join(',')}`;
  if (isObject(v)) return `${spec.wire}=${flat(v, enc).join(',')}`;
  return `${spec.wire}=${enc(text(v))}`;
}
