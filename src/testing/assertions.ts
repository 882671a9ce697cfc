import { compilePath, isXPath } from '../engine/sources.js';
import type { Json, TestAssertion, TestExpect } from '../model/index.js';
import type { JSONSchema } from '../schema/index.js';
import { checkSchema } from './schema-check.js';

/** One checked expectation: what was expected, what the execution gave, and why it failed. */
export interface CheckResult {
  /** 'status', 'maxMs', 'schema', 'execution', or `$.name equals` for an assertion */
  check: string;
  ok: boolean;
  expected?: Json;
  actual?: Json;
  message?: string;
}

/** What one execution of a case gave. */
export interface Outcome {
  ok: boolean;
  /** the result data (transaction) or output (sequence) */
  data?: Json;
  /** HTTP status; a sequence that succeeded counts as 200 */
  status?: number;
  ms: number;
  error?: { code: string; message: string; path?: string };
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => same(x, bb[i]));
  }
  const ak = Object.keys(a as object);
  const bo = b as Record<string, unknown>;
  return ak.length === Object.keys(bo).length && ak.every((k) => Object.hasOwn(bo, k) && same((a as Record<string, unknown>)[k], bo[k]));
}

/** The value a path selects: one value (or undefined) for a singular path, the list of matches otherwise. */
function select(path: string, data: Json | undefined): { value: Json | undefined; many: boolean } {
  if (isXPath(path)) throw new Error(`"${path}" is not a JSONPath: assertion paths start with $`);
  const compiled = compilePath(path);
  if (compiled.xpath) throw new Error(`"${path}" is not a JSONPath: assertion paths start with $`);
  return { value: compiled.evaluate(data), many: !compiled.singular };
}

function lengthOf(value: Json | undefined): number | undefined {
  if (typeof value === 'string' || Array.isArray(value)) return value.length;
  if (value !== null && typeof value === 'object') return Object.keys(value).length;
  return undefined;
}

function describe(value: Json | undefined): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Every check of one assertion (an assertion may combine equals, matches, exists and length). */
export function checkAssertion(a: TestAssertion, data: Json | undefined): CheckResult[] {
  let selected: { value: Json | undefined; many: boolean };
  try {
    selected = select(a.path, data);
  } catch (e) {
    return [{ check: a.path, ok: false, message: (e as Error).message }];
  }
  const { value, many } = selected;
  const found = many ? Array.isArray(value) && value.length > 0 : value !== undefined;
  const out: CheckResult[] = [];
  if (a.exists !== undefined) {
    const ok = found === a.exists;
    out.push({ check: `${a.path} exists`, ok, expected: a.exists, actual: found, ...(ok ? {} : { message: a.exists ? `${a.path} selects nothing` : `${a.path} selects ${describe(value)}` }) });
  }
  if (a.equals !== undefined) {
    const ok = value !== undefined && same(value, a.equals);
    out.push({ check: `${a.path} equals`, ok, expected: a.equals, ...(value === undefined ? {} : { actual: value }), ...(ok ? {} : { message: `${a.path} is ${describe(value)}, expected ${describe(a.equals)}` }) });
  }
  if (a.matches !== undefined) {
    let pattern: RegExp | undefined;
    try {
      pattern = new RegExp(a.matches);
    } catch (e) {
      out.push({ check: `${a.path} matches`, ok: false, expected: a.matches, message: `invalid regular expression: ${(e as Error).message}` });
    }
    if (pattern) {
      const values = many ? ((value as Json[] | undefined) ?? []) : value === undefined ? [] : [value];
      const texts = values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
      const bad = texts.find((t) => !pattern.test(t));
      const ok = texts.length > 0 && bad === undefined;
      out.push({
        check: `${a.path} matches`,
        ok,
        expected: a.matches,
        ...(value === undefined ? {} : { actual: value }),
        ...(ok ? {} : { message: texts.length === 0 ? `${a.path} selects nothing to match /${a.matches}/` : `${JSON.stringify(bad)} does not match /${a.matches}/` }),
      });
    }
  }
  if (a.length !== undefined) {
    const n = lengthOf(value);
    const ok = n === a.length;
    out.push({
      check: `${a.path} length`,
      ok,
      expected: a.length,
      ...(n === undefined ? {} : { actual: n }),
      ...(ok ? {} : { message: n === undefined ? `${a.path} is ${describe(value)}, which has no length` : `${a.path} has length ${n}, expected ${a.length}` }),
    });
  }
  return out;
}

/**
 * Checks an outcome against a case's expectations. A failed execution fails the case (with its error)
 * unless nothing but the status was expected and it matched; no `status` expects a success (< 400).
 */
export function checkOutcome(expect: TestExpect | undefined, outcome: Outcome, schema: JSONSchema | null | undefined, target: string): CheckResult[] {
  const out: CheckResult[] = [];
  if (!outcome.ok) {
    out.push({ check: 'execution', ok: false, message: `${outcome.error?.code ?? 'ERROR'}: ${outcome.error?.message ?? 'the execution failed'}` });
    return out;
  }
  if (expect?.status !== undefined) {
    const ok = outcome.status === expect.status;
    out.push({ check: 'status', ok, expected: expect.status, ...(outcome.status === undefined ? {} : { actual: outcome.status }), ...(ok ? {} : { message: `status ${outcome.status ?? 'none'}, expected ${expect.status}` }) });
  } else if (outcome.status !== undefined && outcome.status >= 400) {
    out.push({ check: 'status', ok: false, expected: '< 400', actual: outcome.status, message: `status ${outcome.status}: add expect.status when an error status is what the case tests` });
  }
  if (expect?.maxMs !== undefined) {
    const ms = Math.round(outcome.ms * 10) / 10;
    const ok = outcome.ms <= expect.maxMs;
    out.push({ check: 'maxMs', ok, expected: expect.maxMs, actual: ms, ...(ok ? {} : { message: `took ${ms} ms, more than ${expect.maxMs} ms` }) });
  }
  if (expect?.schema) {
    if (!schema) {
      out.push({ check: 'schema', ok: false, message: `no stored output schema for ${target}: expected schemas/${target}.json (execute it, then "Update schema")` });
    } else {
      const problems = checkSchema(schema, outcome.data);
      out.push({
        check: 'schema',
        ok: problems.length === 0,
        expected: `conforms to schemas/${target}.json`,
        ...(problems.length ? { actual: problems.map((p) => `${p.at || '(result)'}: ${p.message}`), message: `${problems[0]!.at || '(result)'}: ${problems[0]!.message}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}` } : {}),
      });
    }
  }
  for (const a of expect?.assertions ?? []) out.push(...checkAssertion(a, outcome.data));
  return out;
}
