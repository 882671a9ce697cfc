import type { Json } from '../../model/index.js';
import type { RunStep } from '../../steps/step-kind.js';
import { TrellisError } from '../errors.js';
import { loadQuickJS } from '../sandbox/quickjs.js';
import type { Ctx } from '../sequence/context.js';
import type { RunState } from '../sequence/run-state.js';
import type { Bounds } from './bound.js';
import { DebugFrame } from './frame.js';
import { buildSnapshot, type DebugSnapshot, type PauseReason } from './snapshot.js';

export const DEBUG_COMMANDS = ['continue', 'stepOver', 'stepInto', 'stepOut', 'stop'] as const;
export type DebugCommand = (typeof DEBUG_COMMANDS)[number];

export interface Breakpoint {
  /** the step id (unique in its sequence) */
  step: string;
  /** a JavaScript expression evaluated in the step's scope (variables, steps.<id>, item, index): pauses when truthy */
  condition?: string;
}

export interface DebugListener {
  paused(snapshot: DebugSnapshot): void;
  resumed(command: DebugCommand): void;
}

/** Where the last pause was: stepping commands are relative to it. */
interface Anchor {
  step: RunStep;
  run: RunState;
  depth: number;
}

/** What makes the next pause, after a resume. */
type Mode = { kind: 'run' } | { kind: 'into' } | { kind: 'over'; anchor: Anchor } | { kind: 'out'; anchor: Anchor; container: RunStep | undefined };

/** Strictly inside: the step itself running again is a new execution of it (the next pass of a loop). */
const inside = (step: RunStep, container: RunStep): boolean => {
  for (let s = step.parent; s; s = s.parent) if (s === container) return true;
  return false;
};

/**
 * The debugger of one execution, handed to it through SequenceOptions.debug (never a global) and shared
 * with the sequences it calls. The step loop asks it, before each step, whether to pause; a pause
 * publishes a snapshot and waits for a command.
 *
 * Stepping works on the step tree, as the canvas draws it:
 * - stepInto pauses at the very next step: the first child of a container, the first step of a called sequence;
 * - stepOver pauses at the next step that is not inside the current one (its children and the sequences
 *   it calls run without pausing), in this sequence or, once it ends, in its caller;
 * - stepOut pauses at the first step after the innermost container of the current step; at the top level
 *   of a called sequence, at the first step after the call; at the top level of the executed sequence, it
 *   runs on like continue;
 * - continue runs to the next breakpoint; stop cancels the execution (CANCELLED), like run.cancel.
 * Breakpoints pause during any of these. A breakpoint's condition that throws pauses too, with the error
 * in the snapshot (a wrong condition should be seen, not silently skipped, and never fails the run).
 *
 * The deadline: time spent paused does not count. On resume the shared budget's deadline moves forward
 * by the pause, so a run can stay paused for as long as the user reads; script time limits apply per
 * evaluation and never span a pause. Parallel branches that reach a step while another is paused wait
 * for the resume before they decide to pause (one pause at a time).
 */
export class DebugController {
  private readonly breakpoints = new Map<string, Map<string, Breakpoint>>();
  private mode: Mode = { kind: 'run' };
  private waiting: { promise: Promise<void>; resume: (command: DebugCommand) => void } | undefined;
  private pausedAt: Anchor | undefined;
  private stopped = false;

  constructor(
    private readonly listener: DebugListener,
    options: { signal?: AbortSignal; bounds?: Bounds; stopOnEntry?: boolean } = {},
  ) {
    if (options.stopOnEntry) this.mode = { kind: 'into' };
    this.bounds = options.bounds;
    options.signal?.addEventListener('abort', () => this.stop(), { once: true });
  }

  private readonly bounds: Bounds | undefined;

  /** The frame of the executed sequence. */
  frame(sequence: string): DebugFrame {
    return new DebugFrame(this, sequence, undefined, undefined);
  }

  /** Replaces the breakpoints of one sequence (also those of a called sequence); takes effect at the next step. */
  setBreakpoints(sequence: string, breakpoints: readonly Breakpoint[]): void {
    const byStep = new Map<string, Breakpoint>();
    for (const b of breakpoints) byStep.set(b.step, b.condition?.trim() ? { step: b.step, condition: b.condition.trim() } : { step: b.step });
    if (byStep.size) this.breakpoints.set(sequence, byStep);
    else this.breakpoints.delete(sequence);
  }

  get paused(): boolean {
    return this.pausedAt !== undefined;
  }

  /** Resumes a pause with a command; `stop` also works while running. */
  command(command: DebugCommand): void {
    if (command === 'stop') return this.stop();
    const at = this.pausedAt;
    if (!at || !this.waiting) throw new TrellisError('INVALID_CONFIG', `cannot ${command}: the execution is running, not paused (only stop works while it runs)`);
    switch (command) {
      case 'continue':
        this.mode = { kind: 'run' };
        break;
      case 'stepInto':
        this.mode = { kind: 'into' };
        break;
      case 'stepOver':
        this.mode = { kind: 'over', anchor: at };
        break;
      case 'stepOut':
        this.mode = { kind: 'out', anchor: at, container: at.step.parent };
        break;
    }
    this.waiting.resume(command);
  }

  private stop(): void {
    this.stopped = true;
    this.mode = { kind: 'run' };
    this.waiting?.resume('stop');
  }

  async beforeStep(step: RunStep, ctx: Ctx, frame: DebugFrame): Promise<void> {
    // one pause at a time: a parallel branch arriving during a pause decides after the resume
    while (this.waiting) await this.waiting.promise;
    if (this.stopped) throw ctx.run.cancelled();
    const depth = frame.depth;
    let reason: PauseReason | undefined = this.stepPause(step, ctx.run, depth) ? 'step' : undefined;
    const breakpoint = this.breakpoints.get(frame.sequence)?.get(step.id);
    const extra: { condition?: string; conditionError?: string } = {};
    if (breakpoint) {
      if (breakpoint.condition === undefined) reason = 'breakpoint';
      else {
        extra.condition = breakpoint.condition;
        try {
          if (truthy(await evaluate(breakpoint.condition, ctx))) reason = 'breakpoint';
        } catch (e) {
          reason = 'condition-error';
          extra.conditionError = e instanceof Error ? e.message : String(e);
        }
      }
    }
    if (reason === undefined) return;
    const snapshot = buildSnapshot(reason, step, ctx.run, frame, extra, this.bounds);
    // secret variables' values are `***` here as in every log, trace and error (strings are masked before
    // they are cut, in buildSnapshot; this covers the rest: numbers, keys, the condition's error)
    const mask = ctx.run.options.mask;
    await this.pause(mask ? mask.json(snapshot) : snapshot, { step, run: ctx.run, depth });
    if (this.stopped) throw ctx.run.cancelled();
  }

  private stepPause(step: RunStep, run: RunState, depth: number): boolean {
    const mode = this.mode;
    switch (mode.kind) {
      case 'run':
        return false;
      case 'into':
        return true;
      case 'over': {
        const a = mode.anchor;
        if (depth !== a.depth) return depth < a.depth;
        return run !== a.run || !inside(step, a.step);
      }
      case 'out': {
        const a = mode.anchor;
        if (mode.container === undefined) return depth < a.depth;
        if (depth !== a.depth) return depth < a.depth;
        return run !== a.run || !inside(step, mode.container);
      }
    }
  }

  private async pause(snapshot: DebugSnapshot, at: Anchor): Promise<void> {
    let resume!: (command: DebugCommand) => void;
    const command = new Promise<DebugCommand>((r) => (resume = r));
    const waiting = { promise: command.then(() => undefined), resume };
    this.waiting = waiting;
    this.pausedAt = at;
    const started = performance.now();
    this.notify(() => this.listener.paused(snapshot));
    const given = await command;
    // the pause does not count against the execution's deadline
    at.run.budget.deadline += performance.now() - started;
    this.pausedAt = undefined;
    this.waiting = undefined;
    this.notify(() => this.listener.resumed(given));
  }

  private notify(call: () => void): void {
    try {
      call();
    } catch {
      // a listener's bug (a closed window) must not change the execution
    }
  }
}

async function evaluate(condition: string, ctx: Ctx): Promise<Json | undefined> {
  await loadQuickJS(); // a sequence without scripts has not loaded the sandbox
  return ctx.expression(condition);
}

function truthy(value: Json | undefined): boolean {
  return value !== undefined && value !== null && value !== false && value !== 0 && value !== '';
}
