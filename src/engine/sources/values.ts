import type { Json } from '../../model/index.js';
import { compilePath, PathSyntaxError, type CompiledPath } from './path.js';
import type { XmlDocument } from './xpath.js';

/** `from` targets that are not steps. */
export const SLOT_VARIABLES = -1;
export const SLOT_SESSION = -2;
export const SLOT_UNKNOWN = -3;

/** What a compiled value reads from while a sequence runs (implemented by the run context). */
export interface ValueScope {
  readonly variables: Readonly<Record<string, Json>>;
  readonly session: Json | undefined;
  output(slot: number): Json | undefined;
  meta(slot: number): Json | undefined;
  /** the XML a step's output came from; throws when it did not come from XML */
  xml(slot: number, ref: SourceRef): XmlDocument;
  expression(code: string): Json | undefined;
}

/** A compiled property value that is computed on each use; constants stay plain (frozen) JSON. */
export abstract class Ref {
  abstract get(scope: ValueScope): Json | undefined;
}

export class SourceRef extends Ref {
  constructor(
    readonly from: string,
    readonly slot: number,
    readonly pathText: string,
    /** undefined when the path did not compile (reported by the static check) */
    readonly path: CompiledPath | undefined,
    readonly meta: boolean,
    /** where the source is written, for messages: 'props.variables.id' */
    readonly at: string,
  ) {
    super();
  }

  get(scope: ValueScope): Json | undefined {
    const path = this.path;
    if (path === undefined) return undefined;
    const slot = this.slot;
    if (path.xpath) return path.evaluate(scope.xml(slot, this));
    let root: Json | undefined;
    if (slot >= 0) root = this.meta ? scope.meta(slot) : scope.output(slot);
    else if (slot === SLOT_VARIABLES) root = scope.variables as Json;
    else if (slot === SLOT_SESSION) root = scope.session;
    return path.evaluate(root);
  }
}

export class JsRef extends Ref {
  constructor(readonly code: string) {
    super();
  }
  get(scope: ValueScope): Json | undefined {
    return scope.expression(this.code);
  }
}

/** A constant object holding sources or expressions somewhere inside: rebuilt on each use. */
class ObjectTemplate extends Ref {
  constructor(
    private readonly keys: string[],
    private readonly values: unknown[],
  ) {
    super();
  }
  get(scope: ValueScope): Json {
    const out: Record<string, Json> = {};
    for (let i = 0; i < this.keys.length; i++) {
      const v = resolveValue(this.values[i], scope);
      if (v !== undefined) out[this.keys[i]!] = v;
    }
    return out;
  }
}

class ArrayTemplate extends Ref {
  constructor(private readonly values: unknown[]) {
    super();
  }
  get(scope: ValueScope): Json {
    return this.values.map((v) => resolveValue(v, scope) ?? null);
  }
}

/** Resolves a compiled value: the hot path of every step that reads a property. */
export function resolveValue(v: unknown, scope: ValueScope): Json | undefined {
  return v instanceof Ref ? v.get(scope) : (v as Json | undefined);
}

export interface CompileEnv {
  slotOf(from: string): number;
  /** messages prefixed by where the value is written */
  problems: string[];
  sources: SourceRef[];
  expressions: JsRef[];
}

/**
 * Compiles a validated property value: `{source}` and `{js}` objects (exactly one key) become Refs,
 * containers holding them become templates, and pure constants are frozen, so sharing them across runs
 * is safe.
 */
export function compileValue(v: unknown, at: string, env: CompileEnv): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    const items = v.map((x, i) => compileValue(x, `${at}[${i}]`, env));
    return items.some((x) => x instanceof Ref) ? new ArrayTemplate(items) : Object.freeze(items);
  }
  const record = v as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && keys[0] === 'source') return compileSource(record.source, `${at}.source`, env);
  if (keys.length === 1 && keys[0] === 'js' && typeof record.js === 'string') {
    const ref = new JsRef(record.js);
    env.expressions.push(ref);
    return ref;
  }
  const values = keys.map((k) => compileValue(record[k], `${at}.${k}`, env));
  if (values.some((x) => x instanceof Ref)) return new ObjectTemplate(keys, values);
  const out: Record<string, unknown> = {};
  keys.forEach((k, i) => (out[k] = values[i]));
  return Object.freeze(out);
}

function compileSource(spec: unknown, at: string, env: CompileEnv): unknown {
  const s = spec as { from?: unknown; path?: unknown; meta?: unknown } | null;
  if (!s || typeof s !== 'object' || typeof s.from !== 'string' || !s.from || (s.path !== undefined && typeof s.path !== 'string')) {
    env.problems.push(`${at}: a source is {from: <step id | variables | session>, path: <JSONPath>}`);
    return undefined;
  }
  const extra = Object.keys(s).filter((k) => k !== 'from' && k !== 'path' && k !== 'meta');
  if (extra.length) env.problems.push(`${at}: unknown key${extra.length > 1 ? 's' : ''} ${extra.join(', ')} (a source has from, path, meta)`);
  const pathText = (s.path as string | undefined) ?? '$';
  let path: CompiledPath | undefined;
  try {
    path = compilePath(pathText);
  } catch (e) {
    if (!(e instanceof PathSyntaxError)) throw e;
    env.problems.push(`${at}.path: ${e.message}`);
  }
  const ref = new SourceRef(s.from, env.slotOf(s.from), pathText, path, s.meta === true, at);
  env.sources.push(ref);
  return ref;
}
