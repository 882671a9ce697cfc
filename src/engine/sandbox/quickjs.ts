import { newQuickJSWASMModuleFromVariant, newVariant, RELEASE_SYNC, type QuickJSRuntime, type QuickJSWASMModule } from 'quickjs-emscripten';

/**
 * The QuickJS WebAssembly module, loaded once per process on first need (about 20 ms), and one QuickJS
 * runtime on it, shared. Each sequence execution gets its own fresh context (sandbox.ts): contexts share no
 * objects or globals, so one execution's code never sees another's data. Sharing the runtime saves about a
 * fifth of the cost of a sandbox; what differs per sandbox (time limit, memory budget) is applied per
 * evaluation, which is possible because evaluations are synchronous: one runs at a time.
 *
 * Memory: QuickJS's own limit (runtime.setMemoryLimit) only refuses single allocations above it in this
 * WebAssembly build, because the allocator reports no usable sizes, so the running total never grows
 * (upstream: justjake/quickjs-emscripten#271). We therefore give the module a WebAssembly.Memory of our own
 * and meter its growth: while an evaluation runs, the heap may grow only by what is left of that sandbox's
 * budget. A refused growth makes the allocation fail inside QuickJS ("out of memory"), at the allocation
 * itself. Evaluations are synchronous, so growth during one is caused by that one. The heap never exceeds
 * 1 GB in any case.
 */
const PAGE = 65536;
const MAX_PAGES = 16384; // 1 GB

export const heapGuard = {
  /** bytes the heap may still grow by; Infinity outside evaluations */
  remaining: Infinity,
  /** set when a growth was refused during the current evaluation */
  refused: false,
};

let memory: WebAssembly.Memory | undefined;
let loading: Promise<QuickJSWASMModule> | undefined;
let loaded: QuickJSWASMModule | undefined;

function meteredMemory(): WebAssembly.Memory {
  const m = new WebAssembly.Memory({ initial: 256, maximum: MAX_PAGES });
  const grow = m.grow.bind(m);
  // An own property shadows WebAssembly.Memory.prototype.grow; the emscripten glue calls m.grow() and
  // treats a throw as "no more memory".
  m.grow = (pages: number) => {
    const bytes = pages * PAGE;
    if (bytes > heapGuard.remaining) {
      heapGuard.refused = true;
      throw new RangeError('sandbox memory budget exhausted');
    }
    heapGuard.remaining -= bytes;
    return grow(pages);
  };
  return m;
}

export function loadQuickJS(): Promise<QuickJSWASMModule> {
  loading ??= (async () => {
    memory = meteredMemory();
    loaded = await newQuickJSWASMModuleFromVariant(newVariant(RELEASE_SYNC, { wasmMemory: memory }));
    return loaded;
  })();
  return loading;
}

/** The module when it is already loaded: executions await loadQuickJS() before running code that needs it. */
export function quickJSIfLoaded(): QuickJSWASMModule | undefined {
  return loaded;
}

// QuickJS recursion runs on the host's native stack: this limit keeps a runaway recursion (or a deeply
// nested JSON.parse) a catchable script error instead of a host stack overflow.
const MAX_STACK_BYTES = 128 * 1024;

let runtime: QuickJSRuntime | undefined;
/** asked by the shared interrupt handler whether the running evaluation must stop */
let interrupt: (() => boolean) | undefined;

/** The shared runtime (the module must be loaded). */
export function sharedRuntime(module: QuickJSWASMModule): QuickJSRuntime {
  if (!runtime) {
    runtime = module.newRuntime();
    runtime.setMaxStackSize(MAX_STACK_BYTES);
    runtime.setInterruptHandler(() => interrupt?.() ?? false);
  }
  return runtime;
}

/** Installs the stop test of the evaluation about to run; undefined after it. */
export function setInterrupt(test: (() => boolean) | undefined): void {
  interrupt = test;
}

/** Current size of the shared heap, in bytes. */
export function heapBytes(): number {
  return memory?.buffer.byteLength ?? 0;
}
