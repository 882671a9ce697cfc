import { describe, expect, it } from 'vitest';
import { coerceVariables } from '../../src/engine/variables.js';
import { TrellisError } from '../../src/engine/errors.js';
import type { Variable } from '../../src/model/index.js';

const vars: Variable[] = [
  { name: 'id', type: 'integer', required: true },
  { name: 'ratio', type: 'number' },
  { name: 'active', type: 'boolean', default: true },
  { name: 'tags', type: 'string', multivalued: true },
  { name: 'filter', type: 'json' },
  { name: 'sort', type: 'string', enum: ['asc', 'desc'], default: 'asc' },
];

function problems(given: Record<string, unknown>): Array<{ variable: string; message: string }> {
  try {
    coerceVariables(vars, given, 'transaction api.list');
  } catch (e) {
    expect(e).toBeInstanceOf(TrellisError);
    expect((e as TrellisError).code).toBe('BAD_VARIABLE');
    return (e as TrellisError).details as Array<{ variable: string; message: string }>;
  }
  throw new Error('expected a BAD_VARIABLE error');
}

describe('coerceVariables', () => {
  it('coerces strings from the CLI and applies defaults', () => {
    expect(coerceVariables(vars, { id: '42', ratio: '1.5e2', tags: ['a', 'b'], filter: '{"x":[1]}' }, 'tx')).toEqual({
      id: 42,
      ratio: 150,
      active: true,
      tags: ['a', 'b'],
      filter: { x: [1] },
      sort: 'asc',
    });
  });

  it('wraps a single value of a multivalued variable and unwraps a one-item array of a single one', () => {
    expect(coerceVariables(vars, { id: ['7'], tags: 'solo' }, 'tx')).toMatchObject({ id: 7, tags: ['solo'] });
  });

  it('accepts boolean spellings and typed values', () => {
    expect(coerceVariables(vars, { id: 1, active: 'no' }, 'tx').active).toBe(false);
    expect(coerceVariables(vars, { id: 1, active: 'YES' }, 'tx').active).toBe(true);
  });

  it('reports every problem at once, naming each variable', () => {
    const found = problems({ id: 'abc', ratio: 'x', active: 'maybe', sort: 'up', nope: 1, filter: '{bad' });
    const byVar = Object.fromEntries(found.map((p) => [p.variable, p.message]));
    expect(byVar.id).toMatch(/expected an integer, got "abc"/);
    expect(byVar.ratio).toMatch(/expected a number/);
    expect(byVar.active).toMatch(/expected true or false/);
    expect(byVar.sort).toMatch(/not one of "asc", "desc"/);
    expect(byVar.nope).toMatch(/has no variable "nope" \(it has: id, ratio/);
    expect(byVar.filter).toMatch(/expected JSON/);
  });

  it('requires required variables', () => {
    expect(problems({})).toEqual([{ variable: 'id', message: 'variable "id" is required' }]);
  });

  it('refuses several values for a single-valued variable and unsafe integers', () => {
    expect(problems({ id: ['1', '2'] })[0]!.message).toMatch(/expected one value, got 2/);
    expect(problems({ id: '99999999999999999999' })[0]!.message).toMatch(/too large/);
  });
});
