import type { Json, Project, Sequence } from '../../model/index.js';
import type { TxResult } from '../../connectors/connector-kind.js';
import { FLOW_NONE, type BuilderFrame, type Flow, type LoopFrame, type RunStep, type StepContext } from '../../steps/step-kind.js';
import { join } from 'node:path';
import type { RunIO } from '../../steps/io.js';
import { resolveEnv } from '../env.js';
import { TrellisError, toTrellisError } from '../errors.js';
import { executeTransaction } from '../execute-transaction.js';
import type { Logger } from '../logger.js';
import type { SandboxHost } from '../sandbox/sandbox.js';
import { Ref, XmlDocument, type SourceRef, type ValueScope } from '../sources.js';
import { sequenceError } from './errors.js';
import type { RunState } from './run-state.js';
import { runSteps, runStepsSync } from './runner.js';

// Meta of a call as JSON, built once per result (a stable object, so the sandbox cache stays valid).
const metaJson = new WeakMap<TxResult, Json>();
const xmlDocuments = new WeakMap<TxResult, XmlDocument>();
const NO_IO: RunIO = Object.freeze({});

/** The meta of a call as sources and scripts read it (`<step>.meta`): JSON, the same object for the same result. */
export function callMeta(result: TxResult): Json {
  let meta = metaJson.get(result);
  if (!meta) {
    meta = JSON.parse(JSON.stringify(result.meta)) as Json;
    metaJson.set(result, meta);
  }
  return meta;
}

/**
 * The context of one branch of an execution: the run's state plus what changes with nesting (builder,
 * loop, control signal, if-chain). Parallel branches each get their own (fork).
 */
export class Ctx implements StepContext, ValueScope, SandboxHost {
  flow: Flow = FLOW_NONE;
  chain = false;
  builder: BuilderFrame | undefined;
  loop: LoopFrame | undefined;
  caught: Json | undefined;

  constructor(readonly run: RunState) {}

  get project(): Project {
    return this.run.project;
  }
  get sequence(): Sequence {
    return this.run.sequence;
  }
  get logger(): Logger {
    return this.run.logger;
  }
  get signal(): AbortSignal | undefined {
    return this.run.signal;
  }
  get variables(): Readonly<Record<string, Json>> {
    return this.run.variables;
  }
  get variablesVersion(): number {
    return this.run.variablesVersion;
  }
  get session(): Json | undefined {
    return this.run.session;
  }
  get deadline(): number {
    return this.run.budget.deadline;
  }

  // --- values -------------------------------------------------------------------------------------

  value(v: unknown): Json | undefined {
    return v instanceof Ref ? v.get(this) : (v as Json | undefined);
  }

  output(slot: number): Json | undefined {
    return this.run.outputs[slot];
  }

  meta(slot: number): Json | undefined {
    const result = this.run.results[slot];
    return result ? callMeta(result) : undefined;
  }

  xml(slot: number, ref: SourceRef): XmlDocument {
    const result = this.run.results[slot];
    if (result?.xml === undefined)
      throw sequenceError('SOURCE', `${ref.at}: the output of "${ref.from}" did not come from XML, so the XPath "${ref.pathText}" cannot apply (use a JSONPath: $...)`);
    let doc = xmlDocuments.get(result);
    if (!doc) {
      doc = new XmlDocument(result.xml);
      xmlDocuments.set(result, doc);
    }
    return doc;
  }

  expression(code: string): Json | undefined {
    return this.run.sandboxFor().evaluate(code, false, this);
  }

  script(code: string, _step: RunStep): Json | undefined {
    return this.run.sandboxFor().evaluate(code, true, this);
  }

  // --- sandbox host (keys documented in sandbox.ts) -----------------------------------------------

  read(key: string): Json | undefined {
    const name = key.slice(1);
    switch (key[0]) {
      case 's': {
        const slot = this.run.compiled.slotById.get(name);
        return slot === undefined ? undefined : this.run.outputs[slot];
      }
      case 'v':
        return Object.hasOwn(this.run.variables, name) ? this.run.variables[name] : undefined;
      case 'm': {
        const slot = this.run.compiled.slotById.get(name);
        return slot === undefined ? undefined : this.meta(slot);
      }
      case 'i':
        return this.loop?.item;
      case 'x':
        return this.loop?.index;
      case 'e':
        return this.run.session;
    }
    return undefined;
  }

  list(kind: 'S' | 'V' | 'M'): string[] {
    if (kind === 'V') return Object.keys(this.run.variables);
    const table = kind === 'S' ? this.run.outputs : this.run.results;
    const ids: string[] = [];
    for (const [id, slot] of this.run.compiled.slotById) if (table[slot] !== undefined) ids.push(id);
    return ids;
  }

  log(level: 'debug' | 'info' | 'warn' | 'error', text: string): void {
    this.run.logger[level]({ sequence: this.run.sequence.name, step: this.run.current?.path }, text);
  }

  // --- running --------------------------------------------------------------------------------------

  expose(step: RunStep, output: Json | undefined): void {
    this.run.outputs[step.slot] = output;
    this.run.passes[step.slot] = output;
  }

  runSteps(steps: readonly RunStep[]): Promise<void> {
    return runSteps(steps, this);
  }

  runStepsSync(steps: readonly RunStep[]): void {
    runStepsSync(steps, this);
  }

  setOutput(value: Json): void {
    this.run.setOutput(value);
  }

  built(value: Json): void {
    this.run.setBuilt(value);
  }

  setVariable(name: string, value: Json | undefined): void {
    if (value === undefined) delete this.run.variables[name];
    else this.run.variables[name] = value;
    this.run.variablesVersion++;
  }

  async sleep(ms: number): Promise<void> {
    const run = this.run;
    run.checkpoint();
    const remaining = run.remainingMs();
    const cut = ms > remaining; // timers may fire a little early: decide now, not by reading the clock after
    const wait = Math.min(Math.max(0, ms), remaining);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, wait);
      run.signal?.addEventListener('abort', done, { once: true });
      function done() {
        clearTimeout(timer);
        run.signal?.removeEventListener('abort', done);
        resolve();
      }
    });
    run.checkpoint();
    if (cut) throw run.late();
  }

  async breathe(): Promise<void> {
    const run = this.run;
    const now = performance.now();
    if (now - run.lastBreath < 10) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    run.lastBreath = performance.now();
    run.checkpoint();
  }

  async callTransaction(step: RunStep, target: string, variables: Record<string, unknown>): Promise<TxResult> {
    const run = this.run;
    const o = run.options;
    const result = await executeTransaction(run.project, target, variables, {
      env: o.env,
      pool: o.pool,
      logger: o.logger,
      signal: o.signal,
      timeoutMs: Math.max(1, run.remainingMs()),
      runId: run.id,
      stubs: o.stubs,
      mask: o.mask,
      cookies: o.cookies,
    });
    run.results[step.slot] = result;
    if (run.calls !== undefined) run.recordCall(step, target, result);
    return result;
  }

  callSequence(step: RunStep, name: string, variables: Record<string, unknown>): Promise<Json> {
    return this.run.callSequence(this.run, step, name, variables);
  }

  fork(): Ctx {
    const branch = new Ctx(this.run);
    branch.builder = this.builder;
    branch.loop = this.loop;
    branch.caught = this.caught;
    return branch;
  }

  // --- capabilities beyond the steps (src/steps/io.ts) -------------------------------------------------

  get io(): RunIO {
    return (this.run.options as { io?: RunIO }).io ?? NO_IO;
  }

  filesDir(): string {
    return this.io.filesDir ?? join(this.run.project.dir, 'files');
  }

  sessionData(): Record<string, Json> {
    const s = this.run.session;
    if (s && typeof s === 'object' && !Array.isArray(s)) return s;
    throw this.error('NO_SESSION', `this execution has no session: the runtime gives one to stateful sequences only (set stateful: true on sequence ${this.run.sequence.name})`);
  }

  secret(text: string, where: string): string {
    return resolveEnv(text, this.run.options.env, where);
  }

  now(): number {
    return this.io.now?.() ?? Date.now();
  }

  // --- errors ----------------------------------------------------------------------------------------

  error(code: string, message: string, details?: unknown): TrellisError {
    return sequenceError(code, message, details === undefined ? {} : { details });
  }

  catchable(error: unknown): boolean {
    if (this.run.stopping()) return false;
    return !(error instanceof TrellisError && (error.code === 'CANCELLED' || (error.code as string) === 'STEP_LIMIT'));
  }

  errorValue(error: unknown): Json {
    const e = toTrellisError(error);
    const root = rootCause(e);
    const value: Record<string, Json> = { code: e.code, message: root.message };
    if (e.path) value.path = e.path;
    if (e.details !== undefined) {
      try {
        value.details = JSON.parse(JSON.stringify(e.details)) as Json;
      } catch {}
    }
    return value;
  }
}

/** The message as the failing step wrote it, without the "sequence s, step p:" prefixes. */
function rootCause(e: TrellisError): { message: string } {
  let current: unknown = e;
  while (current instanceof TrellisError && current.cause instanceof Error && current.path?.startsWith('sequences/')) current = current.cause;
  return { message: current instanceof Error ? current.message : e.message };
}
