import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { Document, isMap, isSeq } from 'yaml';
import { TrellisError } from '../engine/errors.js';
import { testFileSchema, type Problem, type TestCase, type TestFile, type TestSuite } from '../model/index.js';
import { writeFileAtomic } from './atomic-write.js';
import { issueFindings, toProblems } from './issues.js';
import { parseYaml, STRINGIFY_OPTIONS } from './yaml-io.js';

export const TESTS_DIR = 'tests';

export interface LoadedTests {
  suites: TestSuite[];
  /** malformed test files, as path:line:col problems; the other files still load */
  problems: Problem[];
}

/** `tests/<name>.yaml` of a test file name. */
export function testFile(name: string): string {
  return posix.join(TESTS_DIR, `${name}.yaml`);
}

/** Parses one test file's text; a malformed file gives problems placed on its lines, never an exception. */
export function parseTestFile(file: string, text: string): { suite?: TestSuite; problems: Problem[] } {
  const parsed = parseYaml(file, text, 'a map with target and cases');
  if (!parsed.value) return { problems: parsed.problems };
  const result = testFileSchema.safeParse(parsed.value);
  if (!result.success) {
    const found = toProblems(parsed, issueFindings(result.error.issues, parsed.value, testFileSchema));
    return { problems: [...parsed.problems, ...found].sort((a, b) => a.line - b.line || a.col - b.col) };
  }
  const name = posix.basename(file).replace(/\.ya?ml$/, '');
  return { suite: { name, file, ...result.data }, problems: parsed.problems };
}

/**
 * Reads every `tests/*.yaml` of a project. Kept apart from loading connectors and sequences: a broken
 * test file is reported, it never stops the project from opening or running.
 */
export async function loadTests(dir: string): Promise<LoadedTests> {
  let names: string[];
  try {
    names = (await readdir(join(dir, TESTS_DIR))).filter((n) => /\.ya?ml$/.test(n) && !n.startsWith('.')).sort();
  } catch {
    return { suites: [], problems: [] };
  }
  const suites: TestSuite[] = [];
  const problems: Problem[] = [];
  for (const n of names) {
    const file = posix.join(TESTS_DIR, n);
    let text: string;
    try {
      text = await readFile(join(dir, TESTS_DIR, n), 'utf8');
    } catch (e) {
      problems.push({ file, line: 0, col: 0, message: `cannot read the file: ${(e as Error).message}`, severity: 'error' });
      continue;
    }
    const one = parseTestFile(file, text);
    if (one.suite) suites.push(one.suite);
    problems.push(...one.problems);
  }
  return { suites, problems };
}

/** The YAML of a test file, keys in the documented order. */
export function testFileToYaml(file: TestFile): string {
  const ordered: TestFile = { target: file.target, cases: file.cases.map(orderCase) };
  const doc = new Document(ordered);
  // the issue's shape: one assertion per line, `{ path: …, equals: … }`, and short variable maps inline
  ordered.cases.forEach((c, i) => {
    const variables = doc.getIn(['cases', i, 'variables']);
    if (isMap(variables) && Object.values(c.variables ?? {}).every((v) => v === null || typeof v !== 'object') && Object.keys(c.variables ?? {}).length <= 6) variables.flow = true;
    const assertions = doc.getIn(['cases', i, 'expect', 'assertions']);
    if (isSeq(assertions)) for (const a of assertions.items) if (isMap(a)) a.flow = true;
  });
  return doc.toString(STRINGIFY_OPTIONS);
}

function orderCase(c: TestCase): TestCase {
  const out: TestCase = { name: c.name };
  if (c.variables !== undefined) out.variables = c.variables;
  if (c.stubs !== undefined) out.stubs = c.stubs;
  if (c.expect) {
    const e = c.expect;
    out.expect = {};
    if (e.status !== undefined) out.expect.status = e.status;
    if (e.maxMs !== undefined) out.expect.maxMs = e.maxMs;
    if (e.schema !== undefined) out.expect.schema = e.schema;
    if (e.assertions !== undefined) out.expect.assertions = e.assertions;
  }
  return out;
}

/**
 * Adds a case to `tests/<name>.yaml` (created for `target` when missing), replacing a case of the same
 * name. A file for another target, or a malformed one, is an error naming it: nothing is overwritten.
 */
export async function saveTestCase(dir: string, name: string, target: string, testCase: TestCase): Promise<{ file: string; replaced: boolean }> {
  const file = testFile(name);
  let existing: TestFile | undefined;
  let text: string | undefined;
  try {
    text = await readFile(join(dir, file), 'utf8');
  } catch {
    text = undefined;
  }
  if (text !== undefined) {
    const one = parseTestFile(file, text);
    const error = one.problems.find((p) => p.severity === 'error');
    if (!one.suite || error)
      throw new TrellisError('INVALID_PROJECT', `${file}${error ? `:${error.line}:${error.col}: ${error.message}` : ''}: fix the file before adding cases to it`, { path: file });
    if (one.suite.target !== target) throw new TrellisError('INVALID_CONFIG', `${file} tests ${one.suite.target}, not ${target}: choose another file name`, { path: file });
    existing = { target: one.suite.target, cases: one.suite.cases };
  }
  const cases = existing?.cases ?? [];
  const at = cases.findIndex((c) => c.name === testCase.name);
  const next = at === -1 ? [...cases, testCase] : cases.map((c, i) => (i === at ? testCase : c));
  await mkdir(join(dir, TESTS_DIR), { recursive: true });
  await writeFileAtomic(join(dir, file), testFileToYaml({ target, cases: next }));
  return { file, replaced: at !== -1 };
}
