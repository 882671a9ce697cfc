import type { Json } from '../../model/index.js';
import type { RunStep } from '../../steps/step-kind.js';
import type { RunState } from '../sequence/run-state.js';
import { Bounder, type Bounds } from './bound.js';
import type { DebugFrame } from './frame.js';

export type PauseReason = 'breakpoint' | 'step' | 'condition-error';

/** What the debugger shows at a pause: the values are bounded copies, cuts marked (bound.ts). */
export interface DebugSnapshot {
  reason: PauseReason;
  /** the sequence the paused step belongs to */
  sequence: string;
  /** the step about to run: `trace` is its run.event step path ('callStep/inner' inside a called sequence) */
  step: { id: string; path: string; trace: string; kind: string; title: string };
  /** the condition of the breakpoint that paused, when it has one */
  condition?: string;
  /** why the condition could not be evaluated (reason 'condition-error') */
  conditionError?: string;
  /** the paused sequence's variables, as Set Variable left them */
  variables: Record<string, Json>;
  /** the last output of each step of the paused sequence that has one, in document order */
  outputs: Array<{ step: string; kind: string; output: Json }>;
  /** the enclosing loops of the paused step, outermost first: their current pass */
  loops: Array<{ step: string; kind: string; item: Json; index: number; count: number }>;
  /** the session sources read with `from: session`, when the execution has one */
  session?: Json;
  /** outermost first: each sequence and the step it is at (a Call Sequence step, then the paused step) */
  callStack: Array<{ sequence: string; step: string }>;
  /** true when a value was cut to keep the snapshot small */
  truncated: boolean;
}

function loopPass(value: Json | undefined): { item: Json | undefined; index: number; count: number } | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const index = value.index;
  if (typeof index !== 'number') return undefined;
  return { item: value.item, index, count: typeof value.count === 'number' ? value.count : index };
}

export function buildSnapshot(reason: PauseReason, step: RunStep, run: RunState, frame: DebugFrame, extra: { condition?: string; conditionError?: string }, bounds?: Bounds): DebugSnapshot {
  const mask = run.options.mask;
  const b = new Bounder(bounds, mask && !mask.empty ? (text) => mask.text(text) : undefined);
  const loops: DebugSnapshot['loops'] = [];
  for (let a = step.parent; a; a = a.parent) {
    if (!a.kind.loop) continue;
    const pass = loopPass(run.outputs[a.slot]);
    if (pass) loops.unshift({ step: a.id, kind: a.kind.kind, item: b.bound(pass.item), index: pass.index, count: pass.count });
  }
  const variables: Record<string, Json> = {};
  for (const name of Object.keys(run.variables)) variables[name] = b.bound(run.variables[name]);
  const outputs: DebugSnapshot['outputs'] = [];
  for (const s of run.compiled.all) {
    const output = run.outputs[s.slot];
    if (output !== undefined && run.compiled.slotById.get(s.id) === s.slot) outputs.push({ step: s.id, kind: s.kind.kind, output: b.bound(output) });
  }
  const callStack: DebugSnapshot['callStack'] = [{ sequence: frame.sequence, step: step.path }];
  for (let f = frame; f.caller; f = f.caller) callStack.unshift({ sequence: f.caller.sequence, step: f.callStep! });
  const snapshot: DebugSnapshot = {
    reason,
    sequence: frame.sequence,
    step: { id: step.id, path: step.path, trace: run.tracePrefix + step.path, kind: step.kind.kind, title: step.kind.title },
    ...extra,
    variables,
    outputs,
    loops,
    callStack,
    truncated: false,
  };
  if (run.session !== undefined) snapshot.session = b.bound(run.session);
  snapshot.truncated = b.truncated;
  return snapshot;
}
