import type { RunStep } from '../../steps/step-kind.js';
import type { Ctx } from '../sequence/context.js';
import type { DebugController } from './controller.js';

/**
 * One sequence execution under a debugger: the top-level sequence, or a called one (with the frame and
 * the Call Sequence step that called it). The run state holds it (`RunState.debug`); a run without a
 * debugger holds undefined and the step loop never looks further.
 */
export class DebugFrame {
  constructor(
    readonly controller: DebugController,
    readonly sequence: string,
    readonly caller: DebugFrame | undefined,
    /** the path of the Call Sequence step, in the caller, that started this frame */
    readonly callStep: string | undefined,
  ) {}

  get depth(): number {
    return this.caller ? this.caller.depth + 1 : 0;
  }

  /** The frame of a sequence called by `step` of this one. */
  enter(sequence: string, step: RunStep): DebugFrame {
    return new DebugFrame(this.controller, sequence, this, step.path);
  }

  /** Before a step runs: waits here while the debugger is paused at it. */
  beforeStep(step: RunStep, ctx: Ctx): Promise<void> {
    return this.controller.beforeStep(step, ctx, this);
  }
}
