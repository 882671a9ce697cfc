import type { ExecutionResult, HistoryEntryDto, HistorySummary } from '../contract/index.js';
import { TrellisError } from '../engine/errors.js';
import type { TraceEvent } from '../engine/trace.js';
import type { Json, Project } from '../model/index.js';
import { caseMask } from '../testing/execute.js';
import { KEPT_RUNS } from './execution.js';
import { projectKey } from './workspace.js';

/** Executions a project keeps, newest last; older ones are dropped. */
export const HISTORY_SIZE = 100;
/** An output is kept up to this many characters, then cut and marked `truncated`. */
export const KEPT_OUTPUT_CHARS = 64_000;
/** Trace events kept per execution (a loop may emit millions). */
export const KEPT_TRACE_EVENTS = 500;
/** A step output in a kept trace longer than this (as JSON) is replaced by a marked preview. */
export const KEPT_TRACE_OUTPUT_CHARS = 4_000;
/** Runs whose trace is being collected at once; a run that never ends in the history (a debug run) drops out. */
const COLLECTING = 32;

/** What is needed to run an execution again, and to make a stub or a test case from it (kept in memory only). */
export interface ExecutionInput {
  kind: 'transaction' | 'sequence';
  target: string;
  /** the values as given, secrets included: never sent to the UI */
  variables: Record<string, unknown>;
  stubs: boolean;
  timeoutMs?: number;
}

export interface KeptExecution {
  entry: HistoryEntryDto;
  input: ExecutionInput;
  /** the full result, for the last KEPT_RUNS executions only (their bodies are still kept for paging) */
  result?: ExecutionResult;
}

function cutOutput(event: TraceEvent): TraceEvent {
  if (event.output === undefined) return event;
  const text = JSON.stringify(event.output) ?? '';
  if (text.length <= KEPT_TRACE_OUTPUT_CHARS) return event;
  return { ...event, output: { $truncated: true, totalChars: text.length, preview: text.slice(0, KEPT_TRACE_OUTPUT_CHARS) } as Json };
}

/**
 * The execution history of the studio: the last 100 executions per open project (inputs, output, trace,
 * duration), bounded in size, with secret values masked in everything the UI sees. Kept in memory for
 * the studio session: it may hold backend data, which does not belong in the project folder.
 */
export class ExecutionHistory {
  private readonly projects = new Map<string, KeptExecution[]>();
  private readonly collecting = new Map<string, { events: TraceEvent[]; truncated: boolean }>();

  /** Every run.event of the studio passes here; the history keeps a bounded copy per run. */
  onTrace(event: TraceEvent): void {
    let kept = this.collecting.get(event.run);
    if (!kept) {
      kept = { events: [], truncated: false };
      this.collecting.set(event.run, kept);
      while (this.collecting.size > COLLECTING) this.collecting.delete(this.collecting.keys().next().value!);
    }
    if (kept.events.length < KEPT_TRACE_EVENTS) kept.events.push(cutOutput(event));
    else kept.truncated = true;
  }

  record(project: Project, input: ExecutionInput, result: ExecutionResult, startedAt: Date): HistoryEntryDto {
    const trace = this.collecting.get(result.runId) ?? { events: [], truncated: false };
    this.collecting.delete(result.runId);
    const mask = caseMask(project, input.target, input.variables);
    const summary: HistorySummary = {
      id: result.runId,
      kind: input.kind,
      target: input.target,
      startedAt: startedAt.toISOString(),
      ms: Math.round(result.ms * 10) / 10,
      ok: result.ok,
      stubs: input.stubs,
      variables: mask.inputs(input.variables),
    };
    let output: HistoryEntryDto['output'];
    if (result.ok) {
      if (result.status !== undefined) summary.status = result.status;
      const text = result.body.text;
      output = { text: mask.value(text.slice(0, KEPT_OUTPUT_CHARS)), truncated: result.body.totalChars > KEPT_OUTPUT_CHARS, totalChars: result.body.totalChars };
    } else {
      summary.error = mask.value({ code: result.error.code, message: result.error.message });
    }
    const entry: HistoryEntryDto = { ...summary, ...(output ? { output } : {}), trace: mask.value(trace.events), traceTruncated: trace.truncated };
    const list = this.list$(project.dir, true)!;
    list.push({ entry, input, result });
    while (list.length > HISTORY_SIZE) list.shift();
    const old = list[list.length - 1 - KEPT_RUNS];
    if (old) old.result = undefined;
    return entry;
  }

  private list$(dir: string, create = false): KeptExecution[] | undefined {
    const key = projectKey(dir);
    let list = this.projects.get(key);
    if (!list && create) {
      list = [];
      this.projects.set(key, list);
    }
    return list;
  }

  /** Newest first, without outputs and traces. */
  list(dir: string): HistorySummary[] {
    return (this.list$(dir) ?? [])
      .map(({ entry }) => {
        const { output: _output, trace: _trace, traceTruncated: _t, ...summary } = entry;
        return summary;
      })
      .reverse();
  }

  find(dir: string, id: string): KeptExecution {
    const kept = this.list$(dir)?.find((k) => k.entry.id === id);
    if (!kept) throw new TrellisError('NOT_FOUND', `execution ${id} is not in the history of this project (it keeps the last ${HISTORY_SIZE} executions of this studio session)`, { path: id });
    return kept;
  }

  get(dir: string, id: string): HistoryEntryDto {
    return this.find(dir, id).entry;
  }

  forget(dir: string): void {
    this.projects.delete(projectKey(dir));
  }
}
