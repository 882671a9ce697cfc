import { childPath } from '../engine/sources.js';
import type { Json, TestAssertion, TestCase } from '../model/index.js';

const MAX_ASSERTIONS = 8;
const MAX_EQUALS_TEXT = 200;

/**
 * Assertions proposed from a result, for "Create test case from this execution": the scalar fields at
 * the top of the result (or of its first item) compared with what they were, arrays by their length.
 * A starting point the person edits, not an oracle: volatile fields (ids, times) are for them to drop.
 */
export function proposeAssertions(data: Json | undefined): TestAssertion[] {
  const out: TestAssertion[] = [];
  const visit = (value: Json | undefined, path: string, depth: number) => {
    if (out.length >= MAX_ASSERTIONS || value === undefined) return;
    if (Array.isArray(value)) {
      out.push({ path, length: value.length });
      if (value.length && depth < 2) visit(value[0], `${path}[0]`, depth + 1);
      return;
    }
    if (value !== null && typeof value === 'object') {
      if (depth >= 2) {
        out.push({ path, exists: true });
        return;
      }
      for (const [key, item] of Object.entries(value)) {
        if (out.length >= MAX_ASSERTIONS) break;
        const at = childPath(path, key);
        if (item !== null && typeof item === 'object') visit(item, at, depth + 1);
        else if (typeof item === 'string' && item.length > MAX_EQUALS_TEXT) out.push({ path: at, exists: true });
        else out.push({ path: at, equals: item });
      }
      return;
    }
    if (typeof value === 'string' && value.length > MAX_EQUALS_TEXT) out.push({ path, exists: true });
    else out.push({ path, equals: value });
  };
  visit(data, '$', 0);
  return out;
}

/** A case proposed from an execution: its variables, its status, a duration bound, and proposed assertions. */
export function proposeCase(name: string, input: { variables: Record<string, Json>; data?: Json; status?: number; ms: number; hasSchema: boolean }): TestCase {
  const assertions = proposeAssertions(input.data);
  return {
    name,
    variables: input.variables,
    stubs: false,
    expect: {
      ...(input.status === undefined ? {} : { status: input.status }),
      // generous: a bound that fails on a slow CI machine is noise
      maxMs: Math.max(2000, Math.ceil((input.ms * 5) / 1000) * 1000),
      ...(input.hasSchema ? { schema: true } : {}),
      ...(assertions.length ? { assertions } : {}),
    },
  };
}
