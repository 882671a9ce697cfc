import { describe, expect, it } from 'vitest';
import { categoriesOf, filterEntries } from '../../renderer/features/output/output-model.js';
import { diffRows, proposedFileName, show, summary } from '../../renderer/features/testing/test-model.js';

describe('Tests panel model', () => {
  it('puts failed checks first with expected and actual as text', () => {
    const rows = diffRows([
      { check: 'status', ok: true, expected: 200, actual: 200 },
      { check: '$.name equals', ok: false, expected: 'item 8', actual: 'item 7', message: 'differs' },
      { check: 'schema', ok: true, expected: 'conforms' },
    ]);
    expect(rows.map((r) => [r.check, r.expected, r.actual])).toEqual([
      ['$.name equals', '"item 8"', '"item 7"'],
      ['status', '200', '200'],
      ['schema', '"conforms"', '—'],
    ]);
    expect(rows[0]!.message).toBe('differs');
    expect(show({ a: 1 })).toBe('{\n  "a": 1\n}');
    expect(summary([{ ok: true }, { ok: false }, { ok: true }] as never)).toBe('2 passed, 1 failed');
    expect(proposedFileName('api.getItem')).toBe('getItem');
    expect(proposedFileName('my card')).toBe('my_card');
  });
});

describe('Output filter', () => {
  const entries = [
    { time: 't', level: 'info' as const, category: 'connector', message: 'http call', data: { url: '/items/7' } },
    { time: 't', level: 'warn' as const, category: 'sequence', message: 'slow step' },
    { time: 't', level: 'debug' as const, category: 'connector', message: 'pool opened' },
  ];
  it('filters by level, category and text (message and data)', () => {
    expect(filterEntries(entries, 'trace', '', 'connector').map((e) => e.message)).toEqual(['http call', 'pool opened']);
    expect(filterEntries(entries, 'info', '', 'connector').map((e) => e.message)).toEqual(['http call']);
    expect(filterEntries(entries, 'trace', 'items/7').map((e) => e.message)).toEqual(['http call']);
    expect(filterEntries(entries, 'trace', 'SLOW', 'connector')).toEqual([]);
    expect(categoriesOf(entries)).toEqual(['connector', 'sequence']);
  });
});
