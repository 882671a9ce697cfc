import type { Json, TestCase, TestSuite } from '../model/index.js';
import type { JSONSchema } from '../schema/index.js';
import { checkOutcome, type CheckResult, type Outcome } from './assertions.js';

/** What the runner needs from its caller: how to execute a target, its stored schema, and its secrets. */
export interface TestDeps {
  execute(target: string, variables: Record<string, unknown>, options: { stubs: boolean }): Promise<Outcome>;
  schema(target: string): Promise<JSONSchema | null>;
  /** hides the secret values of an execution of `target` with `variables` (`***`) */
  mask(target: string, variables: Record<string, unknown>): CaseMask;
  /** stub mode for every case, whatever its own `stubs` says (`trellis test --stubs`) */
  stubs?: boolean;
  /** called after each case, for progress */
  onCase?(result: CaseResult): void;
  signal?: AbortSignal;
}

/** How a case's report hides secrets: inputs by variable (secret ones as ***), values by their secret texts. */
export interface CaseMask {
  inputs(variables: Record<string, unknown>): Record<string, Json>;
  value<T>(value: T): T;
}

export interface CaseResult {
  /** the test file's name (tests/<suite>.yaml) and project-relative path */
  suite: string;
  file: string;
  target: string;
  name: string;
  ok: boolean;
  ms: number;
  stubs: boolean;
  /** the variables it ran with, secret values as *** */
  variables: Record<string, Json>;
  checks: CheckResult[];
}

export interface TestReport {
  cases: CaseResult[];
  passed: number;
  failed: number;
  ms: number;
}

/**
 * `--filter` patterns: case-insensitive, `*` for any text, matched anywhere in `<file>/<case>` or the
 * target (`orders/happy*`, `api.getItem`, `seven`).
 */
export function caseFilter(pattern: string | undefined): (suite: TestSuite, c: TestCase) => boolean {
  if (!pattern) return () => true;
  const re = new RegExp(pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*'), 'i');
  return (suite, c) => re.test(`${suite.name}/${c.name}`) || re.test(suite.target);
}

/** Runs one case: executes its target once and checks every expectation. */
export async function runCase(suite: TestSuite, c: TestCase, deps: TestDeps): Promise<CaseResult> {
  const variables = c.variables ?? {};
  const stubs = deps.stubs === true || c.stubs === true;
  const hide = deps.mask(suite.target, variables);
  let outcome: Outcome;
  const started = performance.now();
  try {
    outcome = await deps.execute(suite.target, variables, { stubs });
  } catch (e) {
    const err = e as { code?: string; message?: string };
    outcome = { ok: false, ms: performance.now() - started, error: { code: err.code ?? 'INTERNAL', message: err.message ?? String(e) } };
  }
  let schema: JSONSchema | null = null;
  const checks: CheckResult[] = [];
  if (outcome.ok && c.expect?.schema) {
    try {
      schema = await deps.schema(suite.target);
    } catch (e) {
      checks.push({ check: 'schema', ok: false, message: (e as Error).message });
    }
  }
  const expect = checks.length && c.expect ? { ...c.expect, schema: false } : c.expect;
  checks.push(...checkOutcome(expect, outcome, schema, suite.target));
  return {
    suite: suite.name,
    file: suite.file,
    target: suite.target,
    name: c.name,
    ok: checks.every((r) => r.ok),
    ms: outcome.ms,
    stubs,
    variables: hide.inputs(variables),
    checks: hide.value(checks),
  };
}

/** Runs the cases of `suites` one after the other (they may share backends and files) and reports them all. */
export async function runTests(suites: readonly TestSuite[], deps: TestDeps, filter?: string): Promise<TestReport> {
  const started = performance.now();
  const wanted = caseFilter(filter);
  const cases: CaseResult[] = [];
  for (const suite of suites) {
    for (const c of suite.cases) {
      if (!wanted(suite, c)) continue;
      if (deps.signal?.aborted) break;
      const result = await runCase(suite, c, deps);
      cases.push(result);
      deps.onCase?.(result);
    }
  }
  const passed = cases.filter((r) => r.ok).length;
  return { cases, passed, failed: cases.length - passed, ms: performance.now() - started };
}
