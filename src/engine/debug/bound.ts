import type { Json } from '../../model/index.js';

/** How much of a value a debugger snapshot carries (IPC carries small DTOs: DESIGN.md rule 5). */
export interface Bounds {
  /** characters kept of a long string */
  stringChars: number;
  /** items kept of a long array, keys of a large object */
  items: number;
  /** nesting kept; deeper values are replaced by a marker */
  depth: number;
  /** characters (roughly: strings, keys and scalars) for the whole snapshot; once spent, values become markers */
  totalChars: number;
}

export const DEFAULT_BOUNDS: Bounds = { stringChars: 2000, items: 100, depth: 12, totalChars: 400_000 };

/**
 * Every cut is marked in the value itself, where the user looks: a string ends with `… [truncated: N chars]`,
 * an array gets a last item `"… [truncated: N more items]"`, an object a key `"…"` saying how many keys
 * were left out, and a value too deep or past the snapshot's budget becomes `"[truncated: …]"`.
 */
export const TRUNCATION_MARK = '[truncated';

/** Cuts values to a shared budget; `truncated` tells whether anything was cut. */
export class Bounder {
  truncated = false;
  private left: number;

  constructor(
    private readonly bounds: Bounds = DEFAULT_BOUNDS,
    /** replaces secrets in a string before it is cut (a cut must not leave half a secret) */
    private readonly mask: (text: string) => string = (text) => text,
  ) {
    this.left = bounds.totalChars;
  }

  bound(value: Json | undefined, depth = 0): Json {
    if (value === undefined) return null;
    if (this.left <= 0) return this.cut('[truncated: the snapshot reached its size limit]');
    if (value === null || typeof value === 'boolean' || typeof value === 'number') {
      this.left -= 5;
      return value;
    }
    if (typeof value === 'string') {
      value = this.mask(value);
      const max = Math.min(this.bounds.stringChars, Math.max(0, this.left));
      if (value.length <= max) {
        this.left -= value.length + 2;
        return value;
      }
      this.left -= max;
      this.truncated = true;
      return `${value.slice(0, max)}… [truncated: ${value.length} chars]`;
    }
    if (depth >= this.bounds.depth) return this.cut(`[truncated: ${Array.isArray(value) ? 'array' : 'object'} nested deeper than ${this.bounds.depth} levels]`);
    if (Array.isArray(value)) {
      const out: Json[] = [];
      const n = Math.min(value.length, this.bounds.items);
      for (let i = 0; i < n; i++) out.push(this.bound(value[i], depth + 1));
      if (value.length > n) out.push(this.cut(`… [truncated: ${value.length - n} more items, ${value.length} in all]`));
      return out;
    }
    const out: Record<string, Json> = {};
    const keys = Object.keys(value);
    const n = Math.min(keys.length, this.bounds.items);
    for (let i = 0; i < n; i++) {
      const key = keys[i]!;
      this.left -= key.length + 2;
      out[key] = this.bound(value[key], depth + 1);
    }
    if (keys.length > n) out['…'] = this.cut(`[truncated: ${keys.length - n} more keys, ${keys.length} in all]`);
    return out;
  }

  private cut(marker: string): string {
    this.truncated = true;
    return marker;
  }
}
