import { XMLValidator, XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { testFileSchema, type TestSuite } from '../../src/model/index.js';
import { parseTestFile } from '../../src/project/tests.js';
import { checkAssertion, checkOutcome } from '../../src/testing/assertions.js';
import { toJUnit } from '../../src/testing/junit.js';
import { proposeAssertions, proposeCase } from '../../src/testing/propose.js';
import { caseFilter, runTests, type TestDeps } from '../../src/testing/runner.js';
import { checkSchema } from '../../src/testing/schema-check.js';
import type { JSONSchema } from '../../src/schema/index.js';

const item = { id: 7, name: 'item 7', tags: [] as string[], price: 9.5 };

describe('assertions', () => {
  it('equals, matches, exists and length pass on the issue example and fail with expected vs actual', () => {
    expect(checkAssertion({ path: '$.name', equals: 'item 7' }, item)).toEqual([{ check: '$.name equals', ok: true, expected: 'item 7', actual: 'item 7' }]);
    expect(checkAssertion({ path: '$.name', matches: '^item [0-9]+$' }, item)[0]!.ok).toBe(true);
    expect(checkAssertion({ path: '$.id', exists: true }, item)[0]!.ok).toBe(true);
    expect(checkAssertion({ path: '$.tags', length: 0 }, item)[0]!.ok).toBe(true);

    const wrong = checkAssertion({ path: '$.name', equals: 'item 8' }, item)[0]!;
    expect(wrong).toMatchObject({ ok: false, expected: 'item 8', actual: 'item 7', message: '$.name is "item 7", expected "item 8"' });
    expect(checkAssertion({ path: '$.missing', exists: true }, item)[0]).toMatchObject({ ok: false, actual: false, message: '$.missing selects nothing' });
    expect(checkAssertion({ path: '$.id', exists: false }, item)[0]!.ok).toBe(false);
    expect(checkAssertion({ path: '$.name', matches: '^x' }, item)[0]).toMatchObject({ ok: false, message: '"item 7" does not match /^x/' });
    expect(checkAssertion({ path: '$.tags', length: 2 }, item)[0]).toMatchObject({ ok: false, actual: 0, message: '$.tags has length 0, expected 2' });
    expect(checkAssertion({ path: '$.id', length: 1 }, item)[0]).toMatchObject({ ok: false, message: '$.id is 7, which has no length' });
  });

  it('deep equality on objects and arrays; a non-singular path compares the list of matches', () => {
    const data = { items: [{ id: 1, t: ['a'] }, { id: 2, t: [] }] };
    expect(checkAssertion({ path: '$.items[0]', equals: { t: ['a'], id: 1 } }, data)[0]!.ok).toBe(true);
    expect(checkAssertion({ path: '$.items[0]', equals: { id: 1 } }, data)[0]!.ok).toBe(false);
    expect(checkAssertion({ path: '$.items[*].id', equals: [1, 2] }, data)[0]!.ok).toBe(true);
    expect(checkAssertion({ path: '$.items[*].id', length: 2 }, data)[0]!.ok).toBe(true);
    expect(checkAssertion({ path: '$.items[?@.id > 5]', exists: true }, data)[0]!.ok).toBe(false);
    expect(checkAssertion({ path: '$.items[*].id', matches: '^[12]$' }, data)[0]!.ok).toBe(true);
  });

  it('reports a bad path or regular expression as a failed check, not an exception', () => {
    expect(checkAssertion({ path: 'name', equals: 1 }, item)[0]).toMatchObject({ ok: false, message: expect.stringContaining('not a JSONPath') });
    expect(checkAssertion({ path: '$.[', equals: 1 }, item)[0]).toMatchObject({ ok: false, message: expect.stringContaining('invalid JSONPath') });
    expect(checkAssertion({ path: '$.name', matches: '(' }, item)[0]).toMatchObject({ ok: false, message: expect.stringContaining('invalid regular expression') });
  });

  it('status, maxMs, an implicit success status and a failed execution', () => {
    const ok = { ok: true, data: item, status: 200, ms: 12 };
    expect(checkOutcome({ status: 200, maxMs: 100 }, ok, null, 'api.getItem').every((c) => c.ok)).toBe(true);
    expect(checkOutcome({ status: 201 }, ok, null, 'api.getItem')[0]).toMatchObject({ check: 'status', ok: false, expected: 201, actual: 200 });
    expect(checkOutcome({ maxMs: 5 }, ok, null, 'api.getItem')[0]).toMatchObject({ check: 'maxMs', ok: false, message: 'took 12 ms, more than 5 ms' });
    expect(checkOutcome(undefined, { ...ok, status: 500 }, null, 'api.getItem')[0]).toMatchObject({ check: 'status', ok: false, actual: 500 });
    expect(checkOutcome({ status: 404 }, { ...ok, status: 404 }, null, 'api.getItem')[0]!.ok).toBe(true);
    expect(checkOutcome({ status: 200 }, { ok: false, ms: 3, error: { code: 'CONNECTION_REFUSED', message: 'refused' } }, null, 'api.getItem')).toEqual([
      { check: 'execution', ok: false, message: 'CONNECTION_REFUSED: refused' },
    ]);
  });

  it('schema conformance with a real JSON Schema validator, and a clear failure without a stored schema', () => {
    const schema: JSONSchema = { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' }, when: { type: 'string', format: 'date-time' } }, required: ['id', 'name'] };
    expect(checkSchema(schema, item)).toEqual([]);
    expect(checkSchema(schema, { id: 'x' })).toEqual([
      { at: '', message: "must have required property 'name'" },
      { at: '/id', message: 'must be integer' },
    ]);
    expect(checkSchema(schema, { id: 1, name: 'a', when: 'yesterday' })).toEqual([{ at: '/when', message: 'must match format "date-time"' }]);
    // OpenAPI keywords and another draft's $schema do not stop the check
    expect(checkSchema({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', nullable: true, properties: { id: { type: 'integer', example: 1 } } }, { id: 2 })).toEqual([]);
    const ok = { ok: true, data: { id: 'x' }, status: 200, ms: 1 };
    expect(checkOutcome({ schema: true }, ok, schema, 'api.getItem')[0]).toMatchObject({ check: 'schema', ok: false, message: "(result): must have required property 'name' (and 1 more)", actual: ["(result): must have required property 'name'", '/id: must be integer'] });
    expect(checkOutcome({ schema: true }, ok, null, 'api.getItem')[0]).toMatchObject({ ok: false, message: expect.stringContaining('schemas/api.getItem.json') });
  });
});

describe('test files', () => {
  it('parses the issue example and places problems of a malformed file on their line and column', () => {
    const good = parseTestFile('tests/items.yaml', 'target: api.getItem\ncases:\n  - name: item seven\n    variables: { id: 7 }\n    expect: { status: 200, assertions: [{ path: "$.id", exists: true }] }\n');
    expect(good.problems).toEqual([]);
    expect(good.suite).toMatchObject({ name: 'items', file: 'tests/items.yaml', target: 'api.getItem', cases: [{ name: 'item seven', variables: { id: 7 } }] });

    const bad = parseTestFile('tests/bad.yaml', 'target: api.getItem\ncases:\n  - name: one\n    expect:\n      statuss: 200\n      assertions:\n        - { path: "$.id" }\n');
    expect(bad.suite).toBeUndefined();
    expect(bad.problems.map((p) => `${p.line}:${p.col} ${p.message}`)).toEqual([
      expect.stringMatching(/^5:7 cases\[0\]\.expect: unknown key "statuss" \(did you mean "status"\?\)/),
      expect.stringMatching(/^7:11 cases\[0\]\.expect\.assertions\[0\]: an assertion needs one of equals, matches, exists or length/),
    ]);
    expect(parseTestFile('tests/x.yaml', 'target: [').problems[0]).toMatchObject({ line: 1, message: expect.stringContaining('YAML syntax') });
    expect(testFileSchema.safeParse({ target: 'a.b', cases: [{ name: 'x' }, { name: 'x' }] }).success).toBe(false);
  });

  it('filters cases by <file>/<case> or target, * as wildcard, case-insensitive', () => {
    const suite = { name: 'items', file: 'tests/items.yaml', target: 'api.getItem', cases: [] } as TestSuite;
    expect(caseFilter('ITEMS/item s*')(suite, { name: 'item seven' })).toBe(true);
    expect(caseFilter('getitem')(suite, { name: 'x' })).toBe(true);
    expect(caseFilter('orders')(suite, { name: 'item seven' })).toBe(false);
    expect(caseFilter('a.b')({ ...suite, target: 'axb' }, { name: 'q' })).toBe(false);
  });
});

describe('runner and JUnit', () => {
  const suites: TestSuite[] = [
    {
      name: 'items',
      file: 'tests/items.yaml',
      target: 'api.getItem',
      cases: [
        { name: 'seven', variables: { id: 7, key: 'hunter22' }, expect: { status: 200, assertions: [{ path: '$.name', equals: 'item 7' }] } },
        { name: 'eight <&>', variables: { id: 8, key: 'hunter22' }, stubs: true, expect: { assertions: [{ path: '$.name', equals: 'item 7' }] } },
      ],
    },
  ];
  const calls: Array<{ variables: Record<string, unknown>; stubs: boolean }> = [];
  const deps: TestDeps = {
    async execute(_target, variables, options) {
      calls.push({ variables, stubs: options.stubs });
      return { ok: true, status: 200, ms: 4, data: { name: `item ${String(variables.id)}`, echoed: String(variables.key) } };
    },
    schema: async () => null,
    mask: () => ({ inputs: (v) => ({ ...(v as Record<string, never>), key: '***' }), value: <T>(v: T) => JSON.parse(JSON.stringify(v).replaceAll('hunter22', '***')) as T }),
  };

  it('runs every case with its variables and stub flag, and reports expected vs actual with secrets masked', async () => {
    calls.length = 0;
    const report = await runTests(suites, { ...deps, mask: deps.mask }, undefined);
    expect(calls).toEqual([
      { variables: { id: 7, key: 'hunter22' }, stubs: false },
      { variables: { id: 8, key: 'hunter22' }, stubs: true },
    ]);
    expect(report.passed).toBe(1);
    expect(report.failed).toBe(1);
    const failed = report.cases[1]!;
    expect(failed.variables).toEqual({ id: 8, key: '***' });
    expect(failed.checks).toEqual([{ check: '$.name equals', ok: false, expected: 'item 7', actual: 'item 8', message: '$.name is "item 8", expected "item 7"' }]);
    expect(JSON.stringify(report)).not.toContain('hunter22');

    const xml = toJUnit(report);
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false }).parse(xml);
    expect(doc.testsuites['@_tests']).toBe('2');
    expect(doc.testsuites['@_failures']).toBe('1');
    const cases = doc.testsuites.testsuite.testcase;
    expect(cases[0]['@_name']).toBe('seven');
    expect(cases[1]['@_name']).toBe('eight <&>');
    expect(cases[1].failure['@_message']).toBe('$.name equals: $.name is "item 8", expected "item 7"');
    expect(cases[1].failure['#text']).toContain('expected: "item 7"');
  });

  it('a case whose execution throws fails with the error; --stubs forces stub mode; the filter picks cases', async () => {
    const report = await runTests(suites, { ...deps, stubs: true, execute: async () => Promise.reject(Object.assign(new Error('boom'), { code: 'NETWORK' })) }, 'seven');
    expect(report.cases).toHaveLength(1);
    expect(report.cases[0]).toMatchObject({ name: 'seven', ok: false, stubs: true, checks: [{ check: 'execution', ok: false, message: 'NETWORK: boom' }] });
  });
});

describe('proposals', () => {
  it('proposes scalar equals, array lengths and a generous duration bound', () => {
    expect(proposeAssertions({ id: 7, name: 'item 7', tags: [], owner: { id: 1 } })).toEqual([
      { path: '$.id', equals: 7 },
      { path: '$.name', equals: 'item 7' },
      { path: '$.tags', length: 0 },
      { path: '$.owner.id', equals: 1 },
    ]);
    expect(proposeAssertions([{ 'odd key': 1 }])).toEqual([{ path: '$', length: 1 }, { path: "$[0]['odd key']", equals: 1 }]);
    const c = proposeCase('seven', { variables: { id: 7 }, data: { id: 7 }, status: 200, ms: 30, hasSchema: true });
    expect(c).toEqual({ name: 'seven', variables: { id: 7 }, stubs: false, expect: { status: 200, maxMs: 2000, schema: true, assertions: [{ path: '$.id', equals: 7 }] } });
  });
});
