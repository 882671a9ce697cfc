/** Values at paths inside edited objects: read, write (immutably), compare. Pure. */

/** Where a field's value sits in the edited object: keys and array indexes. */
export type Path = (string | number)[];

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A path as a stable map key. */
export function pathKey(path: Path): string {
  return path.map(String).join('/');
}

/** The value at a path inside an object. */
export function getAt(value: unknown, path: Path): unknown {
  let v = value;
  for (const p of path) {
    if (Array.isArray(v) && typeof p === 'number') v = v[p];
    else if (isRecord(v)) v = v[String(p)];
    else return undefined;
  }
  return v;
}

/** Sets a key of an object immutably; `undefined` removes the key. Existing keys keep their order. */
export function setKey(obj: unknown, key: string, value: unknown): Record<string, unknown> {
  const base = isRecord(obj) ? obj : {};
  if (value === undefined) {
    if (!(key in base)) return base;
    const { [key]: _removed, ...rest } = base;
    return rest;
  }
  return { ...base, [key]: value };
}

/** Sets the value at a path immutably, creating objects on the way. */
export function setAt(obj: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (typeof head === 'number' && Array.isArray(obj)) {
    const copy = [...obj];
    copy[head] = setAt(obj[head], rest, value);
    return copy;
  }
  const current = isRecord(obj) ? obj[String(head)] : undefined;
  return setKey(obj, String(head), setAt(current, rest, value));
}

/** Structural equality of JSON values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => jsonEqual(x, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  return ak.length === bk.length && ak.every((k) => jsonEqual(ao[k], bo[k]));
}

