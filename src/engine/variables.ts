import type { Variable } from '../model/index.js';
import { TrellisError } from './errors.js';

export interface VariableProblem {
  variable: string;
  message: string;
}

const INTEGER = /^[-+]?\d+$/;
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

function describe(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Coerces one value to the variable's type; throws a message (not an Error) when it cannot. */
function coerceOne(v: Variable, value: unknown): unknown {
  switch (v.type) {
    case 'string':
    case 'file':
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      throw `expected a string, got ${describe(value)}`;
    case 'integer': {
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      if (typeof value === 'string' && INTEGER.test(value.trim())) {
        const n = Number(value.trim());
        if (Number.isSafeInteger(n)) return n;
        throw `${describe(value)} is too large for an integer`;
      }
      throw `expected an integer, got ${describe(value)}`;
    }
    case 'number': {
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      if (typeof value === 'string' && NUMBER.test(value.trim())) return Number(value.trim());
      throw `expected a number, got ${describe(value)}`;
    }
    case 'boolean': {
      if (typeof value === 'boolean') return value;
      const s = String(value).trim().toLowerCase();
      if (TRUE.has(s)) return true;
      if (FALSE.has(s)) return false;
      throw `expected true or false, got ${describe(value)}`;
    }
    case 'json': {
      if (typeof value !== 'string') return value;
      try {
        return JSON.parse(value);
      } catch (e) {
        throw `expected JSON, got ${describe(value)} (${(e as Error).message})`;
      }
    }
  }
}

function checkEnum(v: Variable, value: unknown): void {
  if (!v.enum || v.enum.length === 0) return;
  if (!v.enum.some((allowed) => JSON.stringify(allowed) === JSON.stringify(value)))
    throw `${describe(value)} is not one of ${v.enum.map((e) => describe(e)).join(', ')}`;
}

// Variable lists are replaced, never mutated, when edited: their names are collected once, not on every execution.
// (the size check is a cheap guard against a list grown in place all the same)
const declaredNames = new WeakMap<readonly Variable[], ReadonlySet<string>>();
function namesOf(declared: readonly Variable[]): ReadonlySet<string> {
  let names = declaredNames.get(declared);
  if (!names || names.size !== declared.length) {
    names = new Set(declared.map((v) => v.name));
    declaredNames.set(declared, names);
  }
  return names;
}

/**
 * Validates and coerces the given values against the declared variables: defaults, required, types,
 * enums and multivalued. Every problem is reported at once, so a person fixes them in one go.
 */
export function coerceVariables(declared: readonly Variable[], given: Record<string, unknown>, owner: string): Record<string, unknown> {
  const problems: VariableProblem[] = [];
  const byName = namesOf(declared);
  for (const name in given) {
    if (!Object.hasOwn(given, name)) continue;
    if (!byName.has(name)) {
      const known = declared.map((v) => v.name);
      problems.push({ variable: name, message: `${owner} has no variable "${name}"${known.length ? ` (it has: ${known.join(', ')})` : ' (it declares none)'}` });
    }
  }
  const out: Record<string, unknown> = {};
  for (const v of declared) {
    let value = given[v.name];
    if (value === undefined || value === null || value === '') value = v.default ?? (value === '' && v.type === 'string' ? '' : undefined);
    if (value === undefined || value === null) {
      if (v.required) problems.push({ variable: v.name, message: `variable "${v.name}" is required` });
      continue;
    }
    try {
      if (v.multivalued) {
        const items = Array.isArray(value) ? value : [value];
        out[v.name] = items.map((item) => {
          const c = coerceOne(v, item);
          checkEnum(v, c);
          return c;
        });
      } else {
        if (Array.isArray(value) && v.type !== 'json') {
          if (value.length !== 1) throw `expected one value, got ${value.length} (the variable is not multivalued)`;
          value = value[0];
        }
        const c = coerceOne(v, value);
        checkEnum(v, c);
        out[v.name] = c;
      }
    } catch (message) {
      if (typeof message !== 'string') throw message;
      problems.push({ variable: v.name, message: `variable "${v.name}" (${v.type}${v.multivalued ? ', multivalued' : ''}): ${message}` });
    }
  }
  if (problems.length) {
    throw new TrellisError('BAD_VARIABLE', `${owner}: ${problems.map((p) => p.message).join('; ')}`, { path: owner, details: problems });
  }
  return out;
}
