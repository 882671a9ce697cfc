import { escapePointer, refTarget, type LoadedSpec } from './load.js';

/** A value of the spec with where it is: document URL and JSON pointer (for messages and relative `$ref`s). */
export interface Loc<T = unknown> {
  v: T;
  /** document URL */
  f: string;
  /** JSON pointer in that document */
  p: string;
}

/** A `$ref` that cannot be followed; `at` is the place holding the `$ref`. */
export class RefError extends Error {
  constructor(
    readonly at: string,
    readonly ref: string,
    readonly reason: string,
  ) {
    super(`${at}: $ref "${ref}" cannot be resolved: ${reason}`);
    this.name = 'RefError';
  }
}

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Follows `$ref`s lazily over the loaded documents. */
export class SpecDoc {
  readonly root: Loc<Obj>;
  private readonly cache = new Map<string, Loc>();

  constructor(readonly loaded: LoadedSpec) {
    this.root = { v: loaded.entry.value as Obj, f: loaded.entry.url, p: '' };
  }

  /** `file#/pointer` for messages. */
  where(loc: Pick<Loc, 'f' | 'p'>): string {
    return `${this.loaded.display(loc.f)}#${loc.p}`;
  }

  file(loc: Pick<Loc, 'f'>): string {
    return this.loaded.display(loc.f);
  }

  child(loc: Loc, key: string | number): Loc {
    const v = loc.v as Record<string | number, unknown> | undefined;
    return { v: v == null || typeof v !== 'object' ? undefined : v[key], f: loc.f, p: `${loc.p}/${escapePointer(String(key))}` };
  }

  /** Object entries of a value as locations (nothing for non-objects). */
  entries(loc: Loc): Array<[string, Loc]> {
    if (!isObj(loc.v)) return [];
    return Object.keys(loc.v).map((k) => [k, this.child(loc, k)]);
  }

  items(loc: Loc): Loc[] {
    if (!Array.isArray(loc.v)) return [];
    return loc.v.map((_, i) => this.child(loc, i));
  }

  isRef(loc: Loc): loc is Loc<{ $ref: string }> {
    return isObj(loc.v) && typeof loc.v.$ref === 'string';
  }

  /** Follows `$ref` chains until a value that is not a reference; throws RefError. */
  deref(loc: Loc): Loc {
    let cur = loc;
    for (let hops = 0; this.isRef(cur); hops++) {
      if (hops > 64) throw new RefError(this.where(loc), (loc.v as { $ref: string }).$ref, 'circular chain of $refs');
      cur = this.resolve((cur.v as { $ref: string }).$ref, cur);
    }
    return cur;
  }

  /** Like deref, but returns the error instead of throwing. */
  tryDeref(loc: Loc): Loc | RefError {
    try {
      return this.deref(loc);
    } catch (e) {
      if (e instanceof RefError) return e;
      throw e;
    }
  }

  /** The target of `ref`, written at `from` (not followed further if it is itself a `$ref`). */
  resolve(ref: string, from: Pick<Loc, 'f' | 'p'>): Loc {
    const fromDoc = this.loaded.docs.get(from.f);
    const base = fromDoc?.base ?? from.f;
    const hash = ref.indexOf('#');
    const target = refTarget(ref, base) ?? from.f;
    let pointer = hash < 0 ? '' : ref.slice(hash + 1);
    try {
      pointer = decodeURIComponent(pointer);
    } catch {}
    const key = `${target}#${pointer}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const at = this.where(from);
    const doc = this.loaded.docs.get(target) ?? (target === base ? fromDoc : undefined) ?? this.loaded.loadSync?.(target, this.where(from));
    if (!doc) {
      const failure = this.loaded.failures.get(target);
      throw new RefError(at, ref, failure ?? `${this.loaded.display(target)} was not loaded`);
    }
    if (pointer !== '' && !pointer.startsWith('/')) throw new RefError(at, ref, `"#${pointer}" is not a JSON pointer (anchors are not supported)`);
    let cur: Loc = { v: doc.value, f: doc.url, p: '' };
    if (pointer) {
      for (const raw of pointer.slice(1).split('/')) {
        const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
        if (this.isRef(cur)) cur = this.deref(cur);
        const v = cur.v;
        const has = Array.isArray(v) ? /^\d+$/.test(token) && Number(token) < v.length : isObj(v) && Object.prototype.hasOwnProperty.call(v, token);
        if (!has) throw new RefError(at, ref, `${this.loaded.display(doc.url)} has nothing at ${cur.p || ''}/${raw}`);
        cur = this.child(cur, token);
      }
    }
    this.cache.set(key, cur);
    return cur;
  }
}
