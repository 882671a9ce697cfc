import type { ExecutionResult, ParsedParams, TestReportDto } from '../contract/index.js';
import { TrellisError } from '../engine/errors.js';
import type { Logger } from '../engine/logger.js';
import type { ConnectionPool } from '../engine/pool.js';
import type { Json, Project, TestCase } from '../model/index.js';
import { stubFromResult, writeStub } from '../project/stubs.js';
import { loadTests, saveTestCase } from '../project/tests.js';
import { engineTestDeps, isTransaction, targetVariables } from '../testing/execute.js';
import { proposeCase } from '../testing/propose.js';
import { runTests } from '../testing/runner.js';
import { projectEnv, type Executions } from './execution.js';
import type { ExecutionHistory, KeptExecution } from './history.js';
import type { SchemaStore } from './schemas.js';

export interface TestingDeps {
  pool: ConnectionPool;
  loggers: { transaction: Logger; connector: Logger; sequence: Logger };
  schemas: SchemaStore;
  history: ExecutionHistory;
  executions: Executions;
  progress(taskId: string, phase: string, done: number, total: number): void;
}

export async function listTests(project: Project) {
  const { suites, problems } = await loadTests(project.dir);
  return {
    suites: suites.map((s) => ({ name: s.name, file: s.file, target: s.target, cases: s.cases.map((c) => ({ name: c.name, ...(c.stubs === undefined ? {} : { stubs: c.stubs }), ...(c.variables ? { variables: c.variables } : {}) })) })),
    problems,
  };
}

/** tests.run: every case, those of one file, or one case; malformed files are listed by tests.list, not run. */
export async function runProjectTests(deps: TestingDeps, project: Project, params: ParsedParams<'tests.run'>): Promise<TestReportDto> {
  const { suites } = await loadTests(project.dir);
  const chosen = params.file ? suites.filter((s) => s.file === params.file || s.name === params.file) : suites;
  if (params.file && chosen.length === 0) throw new TrellisError('NOT_FOUND', `no test file ${params.file} in ${project.name} (or it is malformed: see the Tests panel's problems)`, { path: params.file });
  const picked = params.testCase ? chosen.map((s) => ({ ...s, cases: s.cases.filter((c) => c.name === params.testCase) })).filter((s) => s.cases.length) : chosen;
  if (params.testCase && picked.length === 0) throw new TrellisError('NOT_FOUND', `no test case "${params.testCase}" in ${params.file ?? 'the test files'}`, { path: params.file });
  const total = picked.reduce((n, s) => n + s.cases.length, 0);
  const testDeps = engineTestDeps(project, {
    execute: { env: await projectEnv(project), pool: deps.pool },
    loggers: deps.loggers,
    schema: (target) => deps.schemas.read(project, target),
    stubs: params.stubs,
  });
  let done = 0;
  const taskId = params.taskId;
  if (taskId) {
    deps.progress(taskId, 'running tests', 0, total);
    testDeps.onCase = () => deps.progress(taskId, 'running tests', ++done, total);
  }
  return runTests(picked, testDeps);
}

/** The full response body of an execution, while its body is still kept. */
function fullBody(deps: Pick<TestingDeps, 'executions'>, result: Extract<ExecutionResult, { ok: true }>, part: 'body' | 'raw'): string {
  const view = result[part];
  if (!view.truncated) return view.text;
  return deps.executions.page(result.runId, part, 0, view.totalChars).text;
}

function resultData(deps: Pick<TestingDeps, 'executions'>, kept: KeptExecution): Json | undefined {
  const result = kept.result;
  if (!result?.ok) return undefined;
  const text = fullBody(deps, result, 'body');
  if (result.body.language !== 'json') return text;
  try {
    return JSON.parse(text) as Json;
  } catch {
    return text;
  }
}

function okResult(kept: KeptExecution, what: string): Extract<ExecutionResult, { ok: true }> {
  if (!kept.result) throw new TrellisError('NOT_FOUND', `execution ${kept.entry.id} is too old: its response is no longer kept; execute ${kept.input.target} again, then ${what}`);
  if (!kept.result.ok) throw new TrellisError('INVALID_CONFIG', `execution ${kept.entry.id} of ${kept.input.target} failed (${kept.result.error.code}): there is no response to ${what} from`);
  return kept.result;
}

/** stub.create: "Create stub from current response". */
export async function createStub(deps: TestingDeps, project: Project, params: ParsedParams<'stub.create'>) {
  const kept = deps.history.find(project.dir, params.runId);
  if (kept.input.kind !== 'transaction') throw new TrellisError('INVALID_CONFIG', `a stub records a transaction's response; ${kept.input.target} is a sequence (its transactions each need their own stub)`);
  const result = okResult(kept, 'create a stub');
  const data = resultData(deps, kept) ?? null;
  const xml = result.raw.language === 'xml' ? fullBody(deps, result, 'raw') : undefined;
  const stub = stubFromResult(kept.input.target, {
    data,
    ...(xml === undefined ? {} : { xml }),
    meta: { status: result.status, statusText: result.statusText, headers: result.headers, contentType: result.contentType, ms: result.ms },
  });
  return { file: await writeStub(project.dir, stub), target: kept.input.target };
}

function envName(variable: string): string {
  return variable.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[^A-Za-z0-9]+/g, '_').toUpperCase();
}

/** tests.createFromExecution: a case with the execution's variables and assertions proposed from its result. */
export async function createTestFromExecution(deps: TestingDeps, project: Project, params: ParsedParams<'tests.createFromExecution'>) {
  const kept = deps.history.find(project.dir, params.runId);
  const result = okResult(kept, 'create a test case');
  const notes: string[] = [];
  const secret = new Set(targetVariables(project, kept.input.target).filter((v) => v.secret).map((v) => v.name));
  const variables: Record<string, Json> = {};
  for (const [name, value] of Object.entries(kept.input.variables)) {
    if (value === undefined) continue;
    if (secret.has(name)) {
      variables[name] = `\${env:${envName(name)}}`;
      notes.push(`${name} is secret: the case reads it from \${env:${envName(name)}} (set it in the environment or the project's .env)`);
    } else variables[name] = value as Json;
  }
  const hasSchema = (await deps.schemas.read(project, kept.input.target).catch(() => null)) !== null;
  const testCase: TestCase = proposeCase(params.name, {
    variables,
    data: resultData(deps, kept),
    status: isTransaction(project, kept.input.target) ? result.status : undefined,
    ms: result.ms,
    hasSchema,
  });
  if (kept.input.stubs) testCase.stubs = true;
  const saved = await saveTestCase(project.dir, params.file, kept.input.target, testCase);
  return { ...saved, testCase: testCase as Record<string, unknown>, notes };
}
