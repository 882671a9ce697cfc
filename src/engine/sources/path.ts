import { jsonpath, JSONPathEnvironment, type JSONPathQuery } from 'json-p3';
import type { Json } from '../../model/index.js';
import { compileXPath, type XPathQuery } from './xpath.js';

/**
 * Source paths, compiled once per distinct text and shared by every step and run.
 *
 * The rule for how many values a path gives is static (it depends on the path, not on the data), so the
 * source picker and schema derivation can tell in advance:
 * - a *singular* JSONPath (RFC 9535 §2.3.5.1: only names and indexes, `$.a.b[0]`) gives that one value,
 *   or nothing (`undefined`) when it does not exist;
 * - any other JSONPath (wildcards, slices, filters, unions, `..`) gives an array of every match, possibly
 *   empty, even when one node matches.
 * A path that does not start with `$` is XPath 1.0 (see xpath.ts); an empty path means `$`.
 */
export type CompiledPath = JsonPath | XPathQuery;

const NameSelector = jsonpath.selectors.NameSelector;
const IndexSelector = jsonpath.selectors.IndexSelector;
const environment = new JSONPathEnvironment();

export class JsonPath {
  readonly xpath = false;
  /** name/index steps of a singular path: walked directly, without the library (the hot path) */
  readonly keys: ReadonlyArray<string | number> | undefined;
  /** per key: true when a plain read could reach Object.prototype (toString, __proto__, ...), so it needs an own-property check */
  private readonly guarded: readonly boolean[];
  /** the path's segments, simplified for schema walking (source picker, schema derivation) */
  readonly segments: readonly PathSegment[];

  constructor(
    readonly text: string,
    private readonly query: JSONPathQuery,
  ) {
    this.keys = singularKeys(query);
    this.guarded = (this.keys ?? []).map((k) => typeof k === 'string' && k in Object.prototype);
    this.segments = query.segments.map(describeSegment);
  }

  get singular(): boolean {
    return this.keys !== undefined;
  }

  evaluate(root: Json | undefined): Json | undefined {
    const keys = this.keys;
    if (keys !== undefined) {
      let current: Json | undefined = root;
      for (let i = 0; i < keys.length; i++) {
        if (current === null || typeof current !== 'object') return undefined;
        const key = keys[i]!;
        if (typeof key === 'number') {
          if (!Array.isArray(current)) return undefined;
          current = current[key < 0 ? current.length + key : key];
        } else {
          if (Array.isArray(current) || (this.guarded[i] && !Object.hasOwn(current, key))) return undefined;
          current = current[key];
        }
      }
      return current;
    }
    if (root === undefined) return [];
    return this.query.query(root).values() as Json[];
  }
}

/** One segment: a member name, an index, or several members (wildcard, slice, filter, union); `deep` for `..`. */
export type PathSegment = { deep: boolean } & ({ kind: 'name'; name: string } | { kind: 'index'; index: number } | { kind: 'many' });

function describeSegment(segment: JSONPathQuery['segments'][number]): PathSegment {
  const deep = String(segment).startsWith('..');
  const only = segment.selectors.length === 1 ? segment.selectors[0] : undefined;
  if (only instanceof NameSelector) return { deep, kind: 'name', name: only.name };
  if (only instanceof IndexSelector) return { deep, kind: 'index', index: only.index };
  return { deep, kind: 'many' };
}

function singularKeys(query: JSONPathQuery): Array<string | number> | undefined {
  if (!query.singularQuery()) return undefined;
  const keys: Array<string | number> = [];
  for (const segment of query.segments) {
    const selector = segment.selectors[0];
    if (selector instanceof NameSelector) keys.push(selector.name);
    else if (selector instanceof IndexSelector) keys.push(selector.index);
    else return undefined;
  }
  return keys;
}

export class PathSyntaxError extends Error {}

const cache = new Map<string, CompiledPath | PathSyntaxError>();
const CACHE_LIMIT = 10_000;

export function isXPath(text: string): boolean {
  const t = text.trimStart();
  return t !== '' && !t.startsWith('$');
}

/** Compiles a source path (cached); throws PathSyntaxError with a message a person can act on. */
export function compilePath(text: string): CompiledPath {
  let hit = cache.get(text);
  if (hit === undefined) {
    hit = compileUncached(text);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(text, hit);
  }
  if (hit instanceof PathSyntaxError) throw hit;
  return hit;
}

function compileUncached(text: string): CompiledPath | PathSyntaxError {
  const trimmed = text.trim() || '$';
  try {
    if (isXPath(trimmed)) return compileXPath(trimmed);
    return new JsonPath(trimmed, environment.compile(trimmed));
  } catch (e) {
    const kind = isXPath(trimmed) ? 'XPath' : 'JSONPath';
    return new PathSyntaxError(`invalid ${kind} "${text}": ${(e as Error).message}`);
  }
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Appends a member name to a JSONPath in its most readable valid form: `$.name` or `$['odd key']`. */
export function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (IDENTIFIER.test(key)) return `${path}.${key}`;
  return `${path}['${key.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
}
