import type { z } from 'zod';
import type { Problem } from '../model/index.js';
import { formatPath, positionOf, valueAt, type ParsedYaml, type PathSegment, type Target } from './yaml-io.js';

/** A problem found in a parsed value, before it is placed on a line. */
export interface Finding {
  path: PathSegment[];
  message: string;
  target?: Target;
  severity?: Problem['severity'];
}

/** Places findings on the lines of the file they were found in. */
export function toProblems(parsed: ParsedYaml, findings: readonly Finding[]): Problem[] {
  return findings.map((f) => ({
    file: parsed.file,
    ...positionOf(parsed, f.path, f.target),
    message: f.message,
    severity: f.severity ?? 'error',
  }));
}

/** Turns zod issues into findings that say what was expected and what the file holds. */
export function issueFindings(issues: readonly z.core.$ZodIssue[], value: unknown, schema: z.ZodType): Finding[] {
  const out: Finding[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((seg): seg is PathSegment => typeof seg !== 'symbol');
    const got = valueAt(value, path);
    const where = (p: PathSegment[]) => (p.length ? `${formatPath(p)}: ` : '');
    switch (issue.code) {
      case 'unrecognized_keys': {
        const known = knownKeys(schema, path);
        for (const key of issue.keys) {
          const close = suggest(key, known);
          const hint = (close ? ` (did you mean "${close}"?)` : '') + (known.length ? `; expected one of ${known.join(', ')}` : '');
          out.push({ path: [...path, key], target: 'key', message: `${where(path)}unknown key "${key}"${hint}` });
        }
        break;
      }
      case 'invalid_type':
        if (got === undefined) {
          const parent = path.slice(0, -1);
          out.push({ path, target: 'parent', message: `${where(parent)}missing required key "${String(path[path.length - 1])}"` });
        } else {
          out.push({ path, message: `${where(path)}expected ${typeName(issue.expected)}, got ${describe(got)}` });
        }
        break;
      case 'invalid_value': {
        const values = issue.values.map((v) => String(v));
        const expected = values.length === 1 ? values[0] : `one of ${values.join(', ')}`;
        out.push({ path, message: `${where(path)}expected ${expected}, got ${describe(got)}` });
        break;
      }
      default:
        out.push({ path, message: `${where(path)}${issue.message}, got ${describe(got)}` });
    }
  }
  return out;
}

const TYPE_NAMES: Record<string, string> = {
  object: 'a map',
  record: 'a map',
  array: 'a list',
  int: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
};

function typeName(expected: string): string {
  return TYPE_NAMES[expected] ?? expected;
}

export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null (an empty value)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return String(value);
}

/** The keys the schema allows at `path`, read from the zod definitions (objects, lists, defaults, lazies). */
function knownKeys(schema: z.ZodType, path: readonly PathSegment[]): string[] {
  let current: unknown = schema;
  const unwrap = (s: unknown): unknown => {
    for (let i = 0; i < 20; i++) {
      const def = defOf(s);
      if (!def) return s;
      if (def.type === 'optional' || def.type === 'default' || def.type === 'nullable' || def.type === 'prefault') s = def.innerType;
      else if (def.type === 'lazy') s = (def.getter as () => unknown)();
      else if (def.type === 'pipe') s = def.in;
      else return s;
    }
    return s;
  };
  for (const seg of path) {
    const def = defOf(unwrap(current));
    if (def?.type === 'object' && typeof seg === 'string') current = (def.shape as Record<string, unknown>)[seg];
    else if (def?.type === 'array' && typeof seg === 'number') current = def.element;
    else if (def?.type === 'record') current = def.valueType;
    else return [];
  }
  const def = defOf(unwrap(current));
  return def?.type === 'object' ? Object.keys(def.shape as object) : [];
}

function defOf(schema: unknown): Record<string, unknown> | undefined {
  return (schema as { _zod?: { def?: Record<string, unknown> } } | undefined)?._zod?.def;
}

/** The known key one or two typos away from `key`, if any. */
function suggest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = key.length <= 4 ? 2 : 3;
  for (const k of known) {
    const d = distance(key.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best;
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}
