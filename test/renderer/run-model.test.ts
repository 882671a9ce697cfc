import { describe, expect, it } from 'vitest';
import type { ExecutionResult } from '../../src/contract/index.js';
import type { Variable } from '../../src/model/index.js';
import {
  badVariableMessages,
  checkValue,
  errorHint,
  formatKb,
  formatMs,
  loadValues,
  newRunId,
  placeholderOf,
  saveValues,
  splitMultivalued,
  statusClass,
  statusLine,
  storageKey,
  toExecuteVariables,
} from '../../renderer/features/run-panel/run-model.js';

const vars: Variable[] = [
  { name: 'id', type: 'integer', required: true },
  { name: 'fields', type: 'string', multivalued: true, in: 'query' },
  { name: 'verbose', type: 'boolean', default: false },
  { name: 'doc', type: 'json' },
  { name: 'key', type: 'string', secret: true },
  { name: 'sort', type: 'string', enum: ['asc', 'desc'], default: 'asc' },
];

function memoryStorage() {
  const map = new Map<string, string>();
  return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v), map };
}

describe('toExecuteVariables', () => {
  it('sends text as typed, lists split, untouched checkboxes and empty fields left out', () => {
    expect(toExecuteVariables(vars, { id: '12', fields: 'a, b ,,c', doc: '{"x":1}', sort: '' })).toEqual({ id: '12', fields: ['a', 'b', 'c'], doc: '{"x":1}' });
    expect(toExecuteVariables(vars, { verbose: false })).toEqual({ verbose: false });
    expect(toExecuteVariables(vars, { id: 'abc' })).toEqual({ id: 'abc' }); // the engine says what is wrong
    expect(toExecuteVariables(vars, { gone: 'x' })).toEqual({});
    expect(toExecuteVariables([{ name: 'j', type: 'json', multivalued: true }], { j: '[1, {"a":2}]' })).toEqual({ j: [1, { a: 2 }] });
  });

  it('splits multivalued text', () => {
    expect(splitMultivalued('a,b\nc , ')).toEqual(['a', 'b', 'c']);
    expect(splitMultivalued('')).toEqual([]);
  });
});

describe('remembered values', () => {
  it('round-trips values per project and target, never secrets', () => {
    const s = memoryStorage();
    const key = storageKey('/p/shop', 'catalog.getProduct');
    expect(key).toBe('trellis.run.variables:/p/shop:catalog.getProduct');
    saveValues(s, key, { id: '12', key: 's3cret', verbose: true, fields: '' }, vars);
    expect(loadValues(s, key)).toEqual({ id: '12', verbose: true });
    expect(loadValues(s, 'other')).toEqual({});
    s.setItem('bad', '{not json');
    expect(loadValues(s, 'bad')).toEqual({});
    expect(loadValues(undefined, key)).toEqual({});
  });
});

describe('checks and messages', () => {
  it('checks typed values', () => {
    expect(checkValue(vars[0]!, 'abc')).toBe('"abc" is not a whole number');
    expect(checkValue(vars[0]!, '12')).toBeUndefined();
    expect(checkValue(vars[0]!, undefined)).toBe('Required');
    expect(checkValue(vars[3]!, '{')).toMatch(/^Invalid JSON/);
    expect(checkValue({ name: 'n', type: 'number', multivalued: true }, '1, 2.5, x')).toBe('"x" is not a number');
  });

  it('reads BAD_VARIABLE details', () => {
    expect(badVariableMessages([{ variable: 'id', message: 'expected an integer, got "abc"' }, { variable: 'id', message: 'second' }, { nope: 1 }])).toEqual({ id: 'expected an integer, got "abc"; second' });
    expect(badVariableMessages(undefined)).toEqual({});
  });

  it('gives placeholders from defaults', () => {
    expect(placeholderOf(vars[5]!)).toBe('asc');
    expect(placeholderOf({ name: 'l', type: 'string', multivalued: true, default: ['a', 'b'] })).toBe('a, b');
    expect(placeholderOf({ name: 'o', type: 'json', default: { a: 1 } })).toBe('{"a":1}');
  });

  it('hints at what to check for connection failures', () => {
    expect(errorHint('CONNECTION_REFUSED')).toMatch(/port/);
    expect(errorHint('TIMEOUT')).toMatch(/server address/);
    expect(errorHint('TLS')).toMatch(/https/);
    expect(errorHint('BAD_RESPONSE')).toBeUndefined();
  });
});

describe('status line', () => {
  it('classes statuses', () => {
    expect(statusClass(200)).toBe('success');
    expect(statusClass(304)).toBe('redirect');
    expect(statusClass(404)).toBe('client-error');
    expect(statusClass(500)).toBe('server-error');
    expect(statusClass(101)).toBe('informational');
    expect(statusClass(undefined)).toBe('none');
  });

  it('formats sizes and times', () => {
    expect(formatKb(512)).toBe('0.5 KB');
    expect(formatKb(40)).toBe('0.04 KB');
    expect(formatKb(0)).toBe('0.0 KB');
    expect(formatKb(12_640)).toBe('12.3 KB');
    expect(formatKb(2_000_000)).toBe('1,953 KB');
    expect(formatKb(undefined)).toBe('—');
    expect(formatMs(85.4)).toBe('85 ms');
    expect(formatMs(1234)).toBe('1.23 s');
    expect(formatMs(123_000)).toBe('2 min 3 s');
  });

  it('says status, time, size and type', () => {
    const ok: ExecutionResult = {
      ok: true,
      runId: 'r',
      status: 200,
      statusText: 'OK',
      headers: {},
      ms: 42,
      bytes: 2048,
      contentType: 'application/json',
      body: { text: '{}', language: 'json', totalChars: 2, truncated: false },
      raw: { text: '{}', language: 'json', totalChars: 2, truncated: false },
    };
    expect(statusLine(ok)).toBe('200 OK · 42 ms · 2.0 KB · application/json');
    expect(statusLine({ ok: false, runId: 'r', ms: 3, error: { code: 'TIMEOUT', message: 'x' } })).toBe('TIMEOUT · 3 ms');
  });

  it('makes distinct run ids', () => {
    expect(newRunId()).not.toBe(newRunId());
  });
});
