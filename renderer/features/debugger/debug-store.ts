import type { BreakpointDto, DebugCommandName, DebugSnapshotDto, EventPayload, ExecutionResult, Params, ProjectState } from '../../../src/contract/index.js';
import type { Sequence, Step } from '../../../src/model/index.js';
import { findSequence, projectOf } from '../../state/model.js';
import { loadPreference, savePreference } from '../../state/preferences.js';
import { Store } from '../../state/store.js';
import { sequenceNameOf, type Studio } from '../../state/studio.js';

/** A debug run in progress (sequence.debug): paused at a snapshot, or running between pauses. */
export interface DebugSession {
  runId: string;
  project: string;
  sequence: string;
  paused: DebugSnapshotDto | null;
  /** a command was sent and the engine has not said it resumed yet */
  sending: boolean;
}

export interface DebugState {
  /** by `<project>\u0001<sequence>`: kept in the studio's preferences (localStorage), never in the project files */
  breakpoints: Readonly<Record<string, readonly BreakpointDto[]>>;
  session: DebugSession | null;
  /** the breakpoint whose condition is being edited (right-click › Edit condition…, Shift+F9) */
  conditionEdit: { project: string; sequence: string; step: string } | null;
}

const PREFERENCE = 'debug.breakpoints';

export const bpKey = (project: string, sequence: string): string => `${project}\u0001${sequence}`;

function stepIds(steps: readonly Step[], into = new Set<string>()): Set<string> {
  for (const s of steps) {
    into.add(s.id);
    if (s.steps) stepIds(s.steps, into);
  }
  return into;
}

/**
 * The studio side of the debugger: breakpoints per sequence (remembered between sessions), the debug run
 * in flight and its last pause, and the commands (toolbar, F8/F10/F11). One per Studio (debuggerOf).
 */
export class DebugStore {
  readonly store = new Store<DebugState>({ breakpoints: loadPreference<Record<string, BreakpointDto[]>>(PREFERENCE, {}), session: null, conditionEdit: null });
  /** Ctrl+F5 / Debug: the next sequence run is a debug run even without breakpoints (it pauses at the first step) */
  private debugRequested: { project: string; sequence: string } | null = null;

  constructor(private readonly studio: Studio) {
    studio.onEvent((event, payload) => this.onEngineEvent(event, payload));
  }

  get state(): DebugState {
    return this.store.getState();
  }

  breakpointsOf(project: string, sequence: string): readonly BreakpointDto[] {
    return this.state.breakpoints[bpKey(project, sequence)] ?? [];
  }

  breakpointAt(project: string, sequence: string, step: string): BreakpointDto | undefined {
    return this.breakpointsOf(project, sequence).find((b) => b.step === step);
  }

  /** F9 / a click in the step's gutter. */
  toggle(project: string, sequence: string, step: string): void {
    const list = this.breakpointsOf(project, sequence);
    this.write(project, sequence, list.some((b) => b.step === step) ? list.filter((b) => b.step !== step) : [...list, { step }]);
  }

  /** Edit condition…: an empty condition makes a plain breakpoint. */
  setCondition(project: string, sequence: string, step: string, condition: string): void {
    const text = condition.trim();
    const next: BreakpointDto = text ? { step, condition: text } : { step };
    const list = this.breakpointsOf(project, sequence);
    this.write(project, sequence, list.some((b) => b.step === step) ? list.map((b) => (b.step === step ? next : b)) : [...list, next]);
  }

  requestConditionEdit(project: string, sequence: string, step: string): void {
    this.store.set({ conditionEdit: { project, sequence, step } });
  }

  endConditionEdit(): void {
    this.store.set({ conditionEdit: null });
  }

  private write(project: string, sequence: string, list: readonly BreakpointDto[]): void {
    const key = bpKey(project, sequence);
    const breakpoints = { ...this.state.breakpoints };
    if (list.length) breakpoints[key] = list;
    else delete breakpoints[key];
    this.store.set({ breakpoints });
    savePreference(PREFERENCE, Object.keys(breakpoints).length ? breakpoints : null);
    // a debug run of this project takes them from its next step
    const session = this.state.session;
    if (session && session.project === project) {
      this.studio.api['debug.setBreakpoints']({ runId: session.runId, project, sequence, breakpoints: this.existing(project, sequence, list) }).catch((e: unknown) => this.studio.fail(e, project));
    }
  }

  /** Breakpoints on steps that still exist (a deleted or renamed step's breakpoint is dropped, not an error). */
  private existing(project: string, sequence: string, list: readonly BreakpointDto[]): BreakpointDto[] {
    const state: ProjectState | undefined = this.studio.state.projects[project];
    const seq: Sequence | undefined = state ? findSequence(projectOf(state), sequence) : undefined;
    if (!seq) return [];
    const ids = stepIds(seq.steps);
    return list.filter((b) => ids.has(b.step));
  }

  /** Run › Debug (Ctrl+F5, the Debug button): runs the sequence (given, selected, or last run) under the debugger. */
  debug(project?: string, sequence?: string): void {
    const s = this.studio.state;
    const sel = s.selection;
    const target =
      project && sequence
        ? { project, sequence }
        : sel && sequenceNameOf(sel.ref)
          ? { project: sel.project, sequence: sequenceNameOf(sel.ref)! }
          : s.run.targetType === 'sequence' && s.run.project && s.run.target
            ? { project: s.run.project, sequence: s.run.target }
            : null;
    if (!target) {
      this.studio.notify('info', 'Select a sequence (or one of its steps) in the Projects view or on its canvas, then press Ctrl+F5 to debug it.');
      return;
    }
    if (s.run.running) return;
    this.debugRequested = target;
    this.studio.execute(target.project, { type: 'sequence', sequence: target.sequence });
  }

  /**
   * The run panel's way of running a sequence: under the debugger when asked (Ctrl+F5) or when the
   * sequence has breakpoints (F5 then stops at them), else a plain sequence.execute.
   */
  readonly runSequence = async (params: Params<'sequence.execute'>): Promise<ExecutionResult> => {
    const { project, sequence } = params;
    const requested = this.debugRequested?.project === project && this.debugRequested.sequence === sequence;
    this.debugRequested = null;
    const own = this.existing(project, sequence, this.breakpointsOf(project, sequence));
    if (!requested && own.length === 0) return this.studio.api['sequence.execute'](params);
    const runId = params.runId!;
    // the breakpoints of the other sequences of the project apply in the sequences this one calls
    const others = Object.keys(this.state.breakpoints).filter((k) => k.startsWith(`${project}\u0001`) && k !== bpKey(project, sequence));
    await Promise.all(
      others.map((k) => {
        const name = k.slice(project.length + 1);
        return this.studio.api['debug.setBreakpoints']({ project, sequence: name, breakpoints: this.existing(project, name, this.state.breakpoints[k] ?? []) }).catch(() => undefined);
      }),
    );
    this.store.set({ session: { runId, project, sequence, paused: null, sending: false } });
    try {
      return await this.studio.api['sequence.debug']({ ...params, breakpoints: own, stopOnEntry: own.length === 0 });
    } finally {
      if (this.state.session?.runId === runId) this.store.set({ session: null });
    }
  };

  command(command: DebugCommandName): void {
    const session = this.state.session;
    if (!session) return;
    if (command !== 'stop' && !session.paused) return;
    this.store.set({ session: { ...session, sending: true } });
    this.studio.api['debug.command']({ runId: session.runId, command }).catch((e: unknown) => {
      const now = this.state.session;
      if (now?.runId === session.runId) this.store.set({ session: { ...now, sending: false } });
      this.studio.fail(e, session.project);
    });
  }

  /** The desktop shell's Run menu (its accelerators take F5, F8-F11 before the page sees them). */
  private onMenuCommand(command: string): void {
    const paused = !!this.state.session?.paused;
    if (command === 'debug') this.debug();
    else if (command === 'execute' && paused) this.command('continue');
    else if ((command === 'continue' || command === 'stepOver' || command === 'stepInto' || command === 'stepOut') && paused) this.command(command);
    else if (command === 'toggleBreakpoint') {
      const sel = this.studio.state.selection;
      if (sel?.ref.type === 'step') this.toggle(sel.project, sel.ref.sequence, sel.ref.step);
    }
  }

  private onEngineEvent(event: string, payload: unknown): void {
    if (event === 'studio.command') return this.onMenuCommand(String((payload as { command?: unknown } | null)?.command ?? ''));
    const session = this.state.session;
    if (event === 'debug.paused') {
      const p = payload as EventPayload<'debug.paused'>;
      if (session?.runId !== p.runId) return;
      this.store.set({ session: { ...session, paused: p.snapshot, sending: false } });
      // show where it stopped: the paused step's sequence opens, the step is selected
      this.studio.select(session.project, { type: 'step', sequence: p.snapshot.sequence, step: p.snapshot.step.id }, { reveal: true });
    } else if (event === 'debug.resumed') {
      const p = payload as EventPayload<'debug.resumed'>;
      if (session?.runId === p.runId) this.store.set({ session: { ...session, paused: null, sending: false } });
    }
  }
}

const stores = new WeakMap<Studio, DebugStore>();

/** The debugger of a studio (created on first use, listening to its engine events). */
export function debuggerOf(studio: Studio): DebugStore {
  let store = stores.get(studio);
  if (!store) {
    store = new DebugStore(studio);
    stores.set(studio, store);
  }
  return store;
}
