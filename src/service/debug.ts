import type { BreakpointDto, DebugCommandName, EventName, EventPayload, ExecutionResult, ParsedParams } from '../contract/index.js';
import { DebugController } from '../engine/debug/index.js';
import { TrellisError } from '../engine/errors.js';
import { findSequence } from '../engine/sequence/index.js';
import type { Project, Step } from '../model/index.js';
import { runSequence, type SequenceDeps } from './sequences.js';
import { projectKey } from './workspace.js';

type Emit = <E extends EventName>(name: E, payload: EventPayload<E>) => void;

interface Session {
  controller: DebugController;
  project: string;
}

function stepIds(steps: readonly Step[], into = new Set<string>()): Set<string> {
  for (const step of steps) {
    into.add(step.id);
    if (step.steps) stepIds(step.steps, into);
  }
  return into;
}

/**
 * The debugger behind sequence.debug, debug.command and debug.setBreakpoints: one DebugController per
 * debug run (by runId), whose pauses and resumes go out as debug.paused / debug.resumed events, and the
 * breakpoints of each sequence for the studio session (kept here, not in the project's YAML: they are a
 * way of looking at a run, not part of the service, and must not show up in diffs or bundles).
 */
export class Debugging {
  private readonly sessions = new Map<string, Session>();
  /** by project folder, then sequence name */
  private readonly breakpoints = new Map<string, Map<string, BreakpointDto[]>>();

  constructor(
    private readonly deps: SequenceDeps,
    private readonly emit: Emit,
  ) {}

  async debug(project: Project, params: ParsedParams<'sequence.debug'>): Promise<ExecutionResult> {
    if (params.breakpoints) this.store(project, params.sequence, params.breakpoints);
    let runId: string | undefined;
    try {
      return await runSequence(this.deps, project, params, (run) => {
        runId = run.runId;
        const id = run.runId;
        const controller = new DebugController(
          {
            paused: (snapshot) => this.emit('debug.paused', { runId: id, snapshot }),
            resumed: (command) => this.emit('debug.resumed', { runId: id, command }),
          },
          { signal: run.signal, stopOnEntry: params.stopOnEntry },
        );
        for (const [sequence, list] of this.breakpoints.get(projectKey(project.dir)) ?? []) controller.setBreakpoints(sequence, list);
        this.sessions.set(id, { controller, project: projectKey(project.dir) });
        return controller;
      });
    } finally {
      if (runId !== undefined) this.sessions.delete(runId);
    }
  }

  command(runId: string, command: DebugCommandName): void {
    const session = this.sessions.get(runId);
    if (!session) throw new TrellisError('NOT_FOUND', `no debug run ${runId}: it has ended, or it was not started with sequence.debug`, { path: runId });
    if (command === 'stop') this.deps.executions.cancel(runId);
    session.controller.command(command);
  }

  setBreakpoints(project: Project, params: ParsedParams<'debug.setBreakpoints'>): BreakpointDto[] {
    const list = this.store(project, params.sequence, params.breakpoints);
    if (params.runId !== undefined) {
      const session = this.sessions.get(params.runId);
      // a run that has just ended keeps nothing to update: the breakpoints are stored for the next one
      if (session && session.project !== projectKey(project.dir))
        throw new TrellisError('INVALID_CONFIG', `debug run ${params.runId} belongs to another project than ${project.dir}`, { path: params.runId });
      session?.controller.setBreakpoints(params.sequence, list);
    }
    return list;
  }

  /** Validates (each step must exist: a typo should not silently never pause) and keeps one breakpoint per step. */
  private store(project: Project, sequenceName: string, breakpoints: readonly BreakpointDto[]): BreakpointDto[] {
    const sequence = findSequence(project, sequenceName);
    const ids = stepIds(sequence.steps);
    const byStep = new Map<string, BreakpointDto>();
    for (const b of breakpoints) {
      if (!ids.has(b.step))
        throw new TrellisError('NOT_FOUND', `sequence ${sequenceName} has no step "${b.step}" to break at (breakpoints name step ids)`, { path: `sequences/${sequenceName}` });
      const condition = b.condition?.trim();
      byStep.set(b.step, condition ? { step: b.step, condition } : { step: b.step });
    }
    const list = [...byStep.values()];
    const key = projectKey(project.dir);
    let perProject = this.breakpoints.get(key);
    if (!perProject) this.breakpoints.set(key, (perProject = new Map()));
    if (list.length) perProject.set(sequenceName, list);
    else perProject.delete(sequenceName);
    return list;
  }

  forget(dir: string): void {
    this.breakpoints.delete(projectKey(dir));
  }
}
