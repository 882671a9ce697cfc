import type { Json } from '../../model/index.js';
import { loadQuickJS } from '../../engine/sandbox/quickjs.js';
import { Sandbox } from '../../engine/sandbox/sandbox.js';

/** View code runs with the JS steps' limits, a little more generous: it processes documents in batches. */
const LIMITS = { timeoutMs: 10_000, memoryBytes: 64 * 1024 * 1024 };

/**
 * Runs a function body in a fresh sandbox (the JS steps' QuickJS sandbox) with `variables.input` as its only
 * data, and returns what it returns. One evaluation per batch of documents keeps the boundary crossings few.
 */
export async function runInSandbox(body: string, input: Json, logger?: (level: string, text: string) => void): Promise<Json | undefined> {
  const module = await loadQuickJS();
  const sandbox = new Sandbox(module, LIMITS);
  const variables = { input };
  try {
    return sandbox.evaluate(body, true, {
      read: (key) => (key === 'vinput' ? input : undefined),
      list: (kind) => (kind === 'V' ? ['input'] : []),
      variables,
      variablesVersion: 1,
      log: (level, text) => logger?.(level, text),
      signal: undefined,
      deadline: performance.now() + LIMITS.timeoutMs,
    });
  } finally {
    sandbox.dispose();
  }
}
