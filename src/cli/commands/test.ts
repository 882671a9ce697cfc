import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { envFrom } from '../../engine/env.js';
import { TrellisError } from '../../engine/errors.js';
import { Logs } from '../../engine/logger.js';
import { ConnectionPool } from '../../engine/pool.js';
import { formatProblem } from '../../model/index.js';
import { loadProject, readDotEnv } from '../../project/index.js';
import { loadTests } from '../../project/tests.js';
import { RunMemory } from '../../service/run-memory.js';
import { SchemaStore } from '../../service/schemas.js';
import { engineTestDeps } from '../../testing/execute.js';
import { toJUnit } from '../../testing/junit.js';
import type { CaseResult, TestReport } from '../../testing/runner.js';
import { runTests } from '../../testing/runner.js';
import { processIo, setExit } from '../io.js';
import { failWith } from './fail.js';

function caseLines(r: CaseResult): string[] {
  const ms = `${Math.round(r.ms)} ms`;
  if (r.ok) return [`✓ ${r.suite}/${r.name} (${ms})`];
  const lines = [`✗ ${r.suite}/${r.name} (${ms})`];
  for (const c of r.checks.filter((x) => !x.ok)) {
    lines.push(`    ${c.check}: ${c.message ?? 'failed'}`);
    if (c.expected !== undefined) lines.push(`      expected: ${JSON.stringify(c.expected)}`);
    if (c.actual !== undefined) lines.push(`      actual:   ${JSON.stringify(c.actual)}`);
  }
  return lines;
}

/** A malformed test file, as a failed case of its own: CI sees it in the JUnit file too. */
function brokenFile(file: string, message: string): CaseResult {
  const suite = file.replace(/^tests\//, '').replace(/\.ya?ml$/, '');
  return { suite, file, target: '(file)', name: '(test file)', ok: false, ms: 0, stubs: false, variables: {}, checks: [{ check: 'file', ok: false, message }] };
}

export function registerTest(program: Command): void {
  program
    .command('test <dir>')
    .description('run the test cases of tests/*.yaml; prints one line per case and "N passed, N failed" last (exit 0: all passed, 1: otherwise)')
    .option('--junit <file>', 'also write the results as JUnit XML to this file')
    .option('--filter <pattern>', 'only the cases whose <file>/<case> or target holds the pattern (case-insensitive, * for any text)')
    .option('--stubs', 'answer every transaction from stubs/ (stub mode), whatever the cases say', false)
    .option('--timeout <ms>', 'deadline of each execution in ms')
    .action(async (dir: string, opts: { junit?: string; filter?: string; stubs: boolean; timeout?: string }) => {
      const pool = new ConnectionPool();
      const controller = new AbortController();
      const onSigint = () => controller.abort();
      process.once('SIGINT', onSigint);
      let report: TestReport = { cases: [], passed: 0, failed: 0, ms: 0 };
      try {
        const folder = resolve(dir);
        const timeoutMs = opts.timeout === undefined ? undefined : Number(opts.timeout);
        if (timeoutMs !== undefined && !(timeoutMs > 0)) throw new TrellisError('BAD_VARIABLE', `--timeout "${opts.timeout}" is not a positive number of milliseconds`);
        const { project } = await loadProject(folder);
        const tests = await loadTests(folder);
        const broken = new Map<string, string>();
        for (const p of tests.problems.filter((x) => x.severity === 'error')) {
          processIo.err(formatProblem(p));
          if (!broken.has(p.file)) broken.set(p.file, formatProblem(p));
        }
        if (tests.suites.length === 0 && broken.size === 0) throw new TrellisError('NOT_FOUND', `${folder} has no test files: write tests/<name>.yaml (target + cases)`);
        const logs = new Logs({ project: project.log });
        const schemas = new SchemaStore(new RunMemory());
        const deps = engineTestDeps(project, {
          execute: { env: envFrom(process.env, await readDotEnv(folder)), pool, signal: controller.signal, timeoutMs },
          loggers: { transaction: logs.get('transaction'), connector: logs.get('connector'), sequence: logs.get('sequence') },
          schema: (target) => schemas.read(project, target),
          stubs: opts.stubs,
        });
        deps.onCase = (r) => processIo.out(caseLines(r).join('\n'));
        report = await runTests(tests.suites, deps, opts.filter);
        for (const [file, message] of broken) {
          const r = brokenFile(file, message);
          processIo.out(caseLines(r).join('\n'));
          report.cases.push(r);
          report.failed++;
        }
        if (report.cases.length === 0) processIo.err(`trellis: no test case matches --filter "${opts.filter ?? ''}"`);
        if (opts.junit) {
          const junit = resolve(opts.junit);
          await mkdir(dirname(junit), { recursive: true });
          await writeFile(junit, toJUnit(report), 'utf8');
        }
        if (report.failed > 0 || report.cases.length === 0) setExit(1);
      } catch (e) {
        failWith(e);
      } finally {
        process.off('SIGINT', onSigint);
        await pool.dispose();
        processIo.out(`${report.passed} passed, ${report.failed} failed`);
      }
    });
}
