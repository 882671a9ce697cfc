import type { Connector, Json, Project, Sequence, Step, Variable } from '../../src/model/index.js';
import { envFrom } from '../../src/engine/env.js';
import { ConnectionPool } from '../../src/engine/pool.js';
import { executeSequence, type SequenceOptions, type SequenceResult } from '../../src/engine/sequence/index.js';
import type { TraceEvent } from '../../src/engine/trace.js';

/** A sequence object as the loader would produce it. */
export function seq(name: string, steps: Step[], variables: Array<Partial<Variable> & { name: string }> = []): Sequence {
  return { name, exposed: true, variables: variables.map((v) => ({ type: 'string', ...v }) as Variable), steps };
}

/** An in-memory project (no folder needed unless a connector reads files). */
export function project(sequences: Sequence[], connectors: Connector[] = []): Project {
  return { dir: '/tmp/trellis-test', name: 'test', formatVersion: 1, connectors, sequences };
}

export const pool = new ConnectionPool();

export function options(extra: Partial<SequenceOptions> = {}): SequenceOptions {
  return { env: envFrom({}), pool, ...extra };
}

/** Runs the only (or named) sequence of a one-off project and returns its output. */
export async function run(steps: Step[], variables: Record<string, unknown> = {}, extra: Partial<SequenceOptions> = {}, declared: Array<Partial<Variable> & { name: string }> = []): Promise<Json> {
  const s = seq('main', steps, declared.length ? declared : Object.keys(variables).map((name) => ({ name, type: 'json' as const })));
  return (await executeSequence(project([s]), 'main', variables, options(extra))).output;
}

export async function runTraced(p: Project, name: string, variables: Record<string, unknown> = {}, extra: Partial<SequenceOptions> = {}): Promise<{ result: SequenceResult; events: TraceEvent[] }> {
  const events: TraceEvent[] = [];
  const result = await executeSequence(p, name, variables, options({ onTrace: (e) => events.push(e), ...extra }));
  return { result, events };
}

/** Shorthands for property values. */
export const src = (from: string, path = '$') => ({ source: { from, path } });
export const js = (code: string) => ({ js: code });
export const value = (id: string, key: string | undefined, v: unknown): Step => ({ id, kind: 'jsonValue', props: key === undefined ? { value: v } : { key, value: v } });
