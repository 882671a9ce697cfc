import { DefaultIntrinsics, type QuickJSContext, type QuickJSHandle, type QuickJSWASMModule } from 'quickjs-emscripten';
import type { Json } from '../../model/index.js';
import { TrellisError } from '../errors.js';
import { sequenceError } from '../sequence/errors.js';
import { BOOTSTRAP } from './bootstrap.js';
import { heapBytes, heapGuard, setInterrupt, sharedRuntime } from './quickjs.js';

export interface ScriptLimits {
  /** per evaluation; the run's own deadline applies too */
  timeoutMs: number;
  memoryBytes: number;
}

export const DEFAULT_SCRIPT_LIMITS: ScriptLimits = { timeoutMs: 1000, memoryBytes: 32 * 1024 * 1024 };

/** What the sandbox reads from the run that evaluates code (keys: 's'+step id, 'v'+variable, 'm'+step id, 'i', 'x', 'e'). */
export interface SandboxHost {
  read(key: string): Json | undefined;
  list(kind: 'S' | 'V' | 'M'): string[];
  readonly variables: Readonly<Record<string, Json>>;
  readonly variablesVersion: number;
  log(level: 'debug' | 'info' | 'warn' | 'error', text: string): void;
  readonly signal: AbortSignal | undefined;
  /** performance.now() after which the whole execution is late */
  readonly deadline: number;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

// No typed arrays: QuickJS does not count ArrayBuffer storage against the runtime's memory limit (a loop of
// `new ArrayBuffer(1 << 20)` reached gigabytes), and step code handles JSON, not binary. Leaving them out
// also halves the cost of a fresh context (~140 µs instead of ~280 µs).
const INTRINSICS = { ...DefaultIntrinsics, TypedArrays: false };

/**
 * One execution's JavaScript sandbox: a fresh QuickJS context on the shared runtime (quickjs.ts), created
 * on first use and disposed with the execution. Evaluations are synchronous; the interrupt handler stops
 * one that passes its time limit, the run's deadline or a cancellation, and the heap guard refuses memory
 * beyond the sandbox's budget.
 *
 * Known limit: QuickJS checks for interrupts every ~10,000 bytecode operations (loop iterations, calls), so
 * a loop whose every iteration runs a slow built-in on large data (sorting, joining, repeating megabytes)
 * can overrun the time limit by the duration of those built-ins; memory stays bounded regardless.
 */
export class Sandbox {
  private vm: QuickJSContext | undefined;
  private runFn: QuickJSHandle | undefined;
  private dropFn: QuickJSHandle | undefined;
  private variableFn: QuickJSHandle | undefined;
  private readonly functions = new Map<string, QuickJSHandle>();
  /** what the context has cached, by key, with the exact value it was given */
  private readonly served = new Map<string, Json | undefined>();
  private readonly definedVariables = new Set<string>();
  private variablesVersion = -1;
  private host: SandboxHost | undefined;
  private stopAt = Infinity;
  private stopReason: 'limit' | 'deadline' | 'cancel' | undefined;
  /** heap growth caused by this sandbox's evaluations so far (see quickjs.ts) */
  private grown = 0;

  constructor(
    private readonly module: QuickJSWASMModule,
    private readonly limits: ScriptLimits,
  ) {}

  /** Evaluates an expression (`body` false) or a function body (`body` true) and returns its JSON result. */
  evaluate(code: string, body: boolean, host: SandboxHost): Json | undefined {
    const vm = this.open();
    this.host = host;
    this.refresh(host);
    const fn = this.compile(vm, code, body);
    const started = performance.now();
    this.stopAt = Math.min(started + this.limits.timeoutMs, host.deadline);
    this.stopReason = undefined;
    const heapBefore = heapBytes();
    heapGuard.remaining = Math.max(0, this.limits.memoryBytes - this.grown);
    heapGuard.refused = false;
    vm.runtime.setMemoryLimit(this.limits.memoryBytes); // QuickJS's own check: single allocations
    setInterrupt(this.stop);
    let result;
    try {
      result = vm.callFunction(this.runFn!, vm.undefined, fn);
    } catch (e) {
      // a host-side failure inside the VM (should not happen with the stack limit): never reuse it
      this.dispose();
      throw sequenceError('SCRIPT_ERROR', `the script failed inside the sandbox: ${(e as Error).message}`, { cause: e });
    } finally {
      setInterrupt(undefined);
      this.stopAt = Infinity;
      heapGuard.remaining = Infinity;
      this.grown += heapBytes() - heapBefore;
    }
    if (result.error) throw this.failure(vm, result.error, started, heapGuard.refused);
    const handle = result.value;
    const out = vm.typeof(handle) === 'string' ? (JSON.parse(vm.getString(handle)) as Json) : undefined;
    handle.dispose();
    return out;
  }

  dispose(): void {
    for (const h of this.functions.values()) h.dispose();
    this.functions.clear();
    this.runFn?.dispose();
    this.dropFn?.dispose();
    this.variableFn?.dispose();
    this.runFn = this.dropFn = this.variableFn = undefined;
    this.vm?.dispose();
    this.vm = undefined;
    this.served.clear();
    this.definedVariables.clear();
    this.variablesVersion = -1;
    this.grown = 0;
  }

  private open(): QuickJSContext {
    if (this.vm) return this.vm;
    const vm = sharedRuntime(this.module).newContext({ intrinsics: INTRINSICS });
    this.vm = vm;
    const hostFn = vm.newFunction('host', (keyHandle) => {
      const key = vm.getString(keyHandle);
      const host = this.host!;
      if (key.length === 1 && (key === 'S' || key === 'V' || key === 'M')) return vm.newString(JSON.stringify(host.list(key)));
      const value = host.read(key);
      this.served.set(key, value);
      return value === undefined ? vm.undefined : vm.newString(JSON.stringify(value));
    });
    const logFn = vm.newFunction('log', (levelHandle, textHandle) => {
      this.host?.log(vm.getString(levelHandle) as 'info', vm.getString(textHandle));
    });
    const boot = vm.unwrapResult(vm.evalCode(BOOTSTRAP, 'trellis-bootstrap.js'));
    const api = vm.unwrapResult(vm.callFunction(boot, vm.undefined, hostFn, logFn));
    boot.dispose();
    hostFn.dispose();
    logFn.dispose();
    this.runFn = vm.getProp(api, 'run');
    this.dropFn = vm.getProp(api, 'drop');
    this.variableFn = vm.getProp(api, 'variable');
    api.dispose();
    return vm;
  }

  private readonly stop = (): boolean => this.shouldStop();

  private shouldStop(): boolean {
    if (this.stopAt === Infinity) return false;
    if (this.host?.signal?.aborted) this.stopReason = 'cancel';
    else if (performance.now() > this.stopAt) this.stopReason = this.stopAt >= (this.host?.deadline ?? Infinity) ? 'deadline' : 'limit';
    return this.stopReason !== undefined;
  }

  /** Tells the context which cached entries changed since it read them, and declares new variable names. */
  private refresh(host: SandboxHost): void {
    const vm = this.vm!;
    let stale: string[] | undefined;
    for (const [key, value] of this.served) {
      if (host.read(key) !== value) (stale ??= []).push(key);
    }
    if (stale) {
      for (const key of stale) this.served.delete(key);
      const list = vm.newString(JSON.stringify(stale));
      vm.unwrapResult(vm.callFunction(this.dropFn!, vm.undefined, list)).dispose();
      list.dispose();
    }
    if (host.variablesVersion !== this.variablesVersion) {
      this.variablesVersion = host.variablesVersion;
      for (const name of Object.keys(host.variables)) {
        if (this.definedVariables.has(name) || !IDENTIFIER.test(name)) continue;
        this.definedVariables.add(name);
        const n = vm.newString(name);
        vm.unwrapResult(vm.callFunction(this.variableFn!, vm.undefined, n)).dispose();
        n.dispose();
      }
    }
  }

  private compile(vm: QuickJSContext, code: string, body: boolean): QuickJSHandle {
    const key = (body ? 'b' : 'e') + code;
    let fn = this.functions.get(key);
    if (fn) return fn;
    // Line 1 is the wrapper, so a message's line N is line N-1 of the step's code.
    const source = body ? `(function () { 'use strict';\n${code}\n})` : `(function () { 'use strict'; return (\n${code}\n); })`;
    const compiled = vm.evalCode(source, 'script.js');
    if (compiled.error) {
      const e = describe(vm, compiled.error);
      compiled.error.dispose();
      throw sequenceError('SCRIPT_ERROR', `the ${body ? 'code' : 'expression'} does not compile: ${e.text}`);
    }
    fn = compiled.value;
    this.functions.set(key, fn);
    return fn;
  }

  private failure(vm: QuickJSContext, errorHandle: QuickJSHandle, started: number, heapRefused: boolean): TrellisError {
    const reason = this.stopReason;
    const e = describe(vm, errorHandle);
    errorHandle.dispose();
    const ms = Math.round(performance.now() - started);
    if (reason === 'cancel') return new TrellisError('CANCELLED', 'the execution was cancelled while a script was running');
    if (reason === 'deadline') return new TrellisError('TIMEOUT', `the execution's deadline passed while a script was running (after ${ms} ms of script)`);
    if (reason === 'limit' || e.interrupted) {
      this.dispose(); // an interrupted context may hold half-done state: the next evaluation gets a fresh one
      return sequenceError('SCRIPT_TIMEOUT', `the script ran longer than its ${this.limits.timeoutMs} ms time limit and was stopped`);
    }
    if (e.outOfMemory || heapRefused) {
      this.dispose();
      return sequenceError('SCRIPT_MEMORY', `the script used more than its ${Math.round(this.limits.memoryBytes / 1048576)} MB memory limit and was stopped`);
    }
    return sequenceError('SCRIPT_ERROR', `the script threw ${e.text}`);
  }
}

function describe(vm: QuickJSContext, handle: QuickJSHandle): { text: string; interrupted: boolean; outOfMemory: boolean } {
  let dumped: unknown;
  try {
    dumped = vm.dump(handle);
  } catch {
    return { text: 'an error that could not be read (out of memory?)', interrupted: false, outOfMemory: true };
  }
  if (dumped && typeof dumped === 'object' && 'message' in dumped) {
    const d = dumped as { name?: string; message?: string; stack?: string };
    const line = /script\.js:(\d+)/.exec(d.stack ?? '')?.[1];
    const where = line && Number(line) > 1 ? ` (line ${Number(line) - 1})` : '';
    return {
      text: `${d.name ?? 'Error'}: ${d.message ?? ''}${where}`,
      interrupted: d.name === 'InternalError' && d.message === 'interrupted',
      outOfMemory: d.name === 'InternalError' && d.message === 'out of memory',
    };
  }
  return { text: JSON.stringify(dumped) ?? String(dumped), interrupted: false, outOfMemory: dumped === null };
}
