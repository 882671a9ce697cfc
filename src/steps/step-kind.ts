import type { ZodType } from 'zod';
import type { Json, Project, Sequence, Step } from '../model/index.js';
import type { TxResult } from '../connectors/connector-kind.js';
import type { TrellisError } from '../engine/errors.js';
import type { Logger } from '../engine/logger.js';
import type { JSONSchema } from '../schema/types.js';
import type { RunIO } from './io.js';

export type StepCategory = 'call' | 'flow' | 'data' | 'file' | 'session' | 'misc';

/**
 * Control signals (break, continue, return) travel as a field of the context, not as exceptions: a
 * container stops running its children when `ctx.flow` is set, and the loop or the sequence that the
 * signal targets clears it. User-visible boundaries (try/catch, finally) therefore never see them.
 */
export const FLOW_NONE = 0;
export const FLOW_BREAK = 1;
export const FLOW_CONTINUE = 2;
export const FLOW_RETURN = 3;
export type Flow = 0 | 1 | 2 | 3;

/**
 * A step ready to run: its props validated (zod defaults applied) and its property values compiled
 * (sources with pre-compiled paths, expressions), disabled children removed. Built once per sequence
 * object and reused for every execution.
 */
export interface RunStep<P = any> {
  readonly id: string;
  /** ids from the top of the sequence, joined by '/': 'card/title' */
  readonly path: string;
  /** index of the step's output in a run's output table */
  readonly slot: number;
  readonly kind: StepKind<P>;
  /** validated props whose `{source}` / `{js}` values are compiled; pass them to ctx.value() */
  readonly props: P;
  /** validated props as written (after zod defaults), for checks and schema derivation */
  readonly raw: P;
  /** enabled children, in order */
  readonly children: readonly RunStep[];
  /** true when this step and all its children can run without awaiting: the runner's fast path */
  readonly sync: boolean;
  /** true when every child is `sync` (loops then run their passes without awaiting) */
  readonly childrenSync: boolean;
  readonly parent: RunStep | undefined;
  readonly step: Step;
}

/**
 * The JSON value the nearest jsonObject / jsonArray is building (an array for jsonArray): jsonValue and
 * nested builders write into it. Kept as the value itself, not a wrapper, so building allocates nothing extra.
 */
export type BuilderFrame = { [key: string]: Json } | Json[];

/** The current pass of the innermost iterate or while: `item` and `index` in expressions. */
export interface LoopFrame {
  readonly item?: Json;
  readonly index: number;
  readonly count: number;
}

/** What a step sees of the world while it runs (never module globals: DESIGN.md rule 2). */
export interface StepContext {
  readonly project: Project;
  readonly sequence: Sequence;
  readonly logger: Logger;
  /** cancellation of the whole execution; pass it to anything that waits */
  readonly signal: AbortSignal | undefined;
  /** the sequence's variables (declared ones coerced, plus those set by setVariable) */
  readonly variables: Readonly<Record<string, Json>>;
  flow: Flow;
  /** true once a branch of the current if / elseIf / else chain has run */
  chain: boolean;
  builder: BuilderFrame | undefined;
  loop: LoopFrame | undefined;
  /** the error a catch step handles, as a JSON value {code, message, path, details?} */
  caught: Json | undefined;

  /** Resolves a property value: a constant, a compiled source or expression, or a template holding them. */
  value(v: unknown): Json | undefined;
  /** Runs a JavaScript function body in the sandbox and returns its JSON result. */
  script(code: string, step: RunStep): Json | undefined;
  /** Makes a step's output readable by its children before the step ends (a loop's current pass). */
  expose(step: RunStep, output: Json | undefined): void;
  runSteps(steps: readonly RunStep[]): Promise<void>;
  /** Only for steps whose `sync` flag is true. */
  runStepsSync(steps: readonly RunStep[]): void;
  setOutput(value: Json): void;
  /** A builder with no enclosing builder finished: its value is the sequence output unless an output step runs. */
  built(value: Json): void;
  setVariable(name: string, value: Json | undefined): void;
  sleep(ms: number): Promise<void>;
  /** Yields to the event loop now and then during long loops, so cancellation and timers get a turn. */
  breathe(): Promise<void>;
  callTransaction(step: RunStep, target: string, variables: Record<string, unknown>): Promise<TxResult>;
  callSequence(step: RunStep, name: string, variables: Record<string, unknown>): Promise<Json>;
  /** A context for one concurrent branch: its own flow and chain, the same run, builder and loop. */
  fork(): StepContext;
  error(code: string, message: string, details?: unknown): TrellisError;
  /** False for errors a try must not swallow: cancellation, the run's deadline, the step budget. */
  catchable(error: unknown): boolean;
  /** An error as the JSON value a catch step exposes. */
  errorValue(error: unknown): Json;
  /** What the execution may reach beyond its steps: request, response draft, caller (see io.ts); {} when none. */
  readonly io: RunIO;
  /** The absolute folder file steps work in (the project's files/ unless the runner says otherwise). */
  filesDir(): string;
  /** The session data of this execution; session steps change it in place and `from: session` reads it. */
  sessionData(): Record<string, Json>;
  /** Replaces `${env:NAME}` references with the execution's environment values (a missing one is an error naming `where`). */
  secret(text: string, where: string): string;
  /** Milliseconds since the epoch, from the execution's clock. */
  now(): number;
}

/** What a kind's static check sees around a step. */
export interface CheckContext {
  readonly project: Project;
  readonly sequence: Sequence;
  /** the enabled sibling just before the step */
  readonly previous: RunStep | undefined;
  readonly parent: RunStep | undefined;
  /** nearest first */
  readonly ancestors: readonly RunStep[];
}

/** Schema derivation helpers handed to StepKind.outputSchema. */
export interface DeriveContext {
  /** the project being derived (file steps read their sample files from its files/ folder) */
  readonly project: Project;
  /** schema of a property value: a constant's inferred schema, a source's schema at its path, {} for expressions */
  value(v: unknown): JSONSchema;
  /** stored schema of `<connector>.<transaction>` output data, {} when unknown */
  transaction(target: string): JSONSchema;
  /** derived output schema of another sequence of the project */
  sequence(name: string): JSONSchema;
  /** for builders: the object or array schema their descendants build */
  built(step: RunStep): JSONSchema;
}

/**
 * A step kind: one file `src/steps/<kind>.step.ts`, one line in `src/steps/index.ts`. The engine knows
 * kinds only through this interface (no switch on kind ids anywhere else).
 */
export interface StepKind<P = any> {
  /** camelCase id written in sequence files */
  kind: string;
  title: string;
  category: StepCategory;
  /** documentation shown in the palette and the properties panel */
  description: string;
  /** short icon id for the palette and the canvas */
  icon: string;
  /** the single source of defaults, validation and the property form (z.toJSONSchema) */
  props: ZodType<P>;
  /** true: holds child steps under `steps:` */
  container: boolean;
  /** Runs the step; the result is its output, readable by later sources. */
  run(step: RunStep<P>, ctx: StepContext): Promise<Json | undefined>;
  /** Same as run for kinds that never wait; the runner calls it when the whole subtree is synchronous. */
  runSync?(step: RunStep<P>, ctx: StepContext): Json | undefined;
  /** Schema of the output, for the source picker; {} (anything) when absent. */
  outputSchema?(step: RunStep<P>, derive: DeriveContext): JSONSchema;
  /** Schema of what this step makes the sequence return (Output, Return with a value); undefined when it does not. */
  sequenceOutput?(step: RunStep<P>, derive: DeriveContext): JSONSchema | undefined;
  /** Kind-specific static checks (placement, references); messages without the step path. */
  check?(step: RunStep<P>, ctx: CheckContext): string[];
  /** a loop: the target of break / continue */
  loop?: boolean;
  /** its output is readable by its children while it runs (a loop's current pass, a catch's error) */
  exposes?: boolean;
  /** children run concurrently, so they cannot read each other's outputs */
  concurrent?: boolean;
  /** runs only when the preceding if / elseIf siblings did not: it cannot read their steps */
  alternative?: boolean;
  /** JSON building role (schema derivation walks these through flow containers) */
  builder?: 'object' | 'array' | 'value';
  /** runs JavaScript, so an execution loads the sandbox first */
  script?: boolean;
  /** schema of what sources read with `meta: true` (a call's status, headers, ms) */
  metaSchema?: JSONSchema;
  /** a prop that names another object of the project: renaming that object rewrites the prop */
  refersTo?: { prop: string; owner: 'transaction' | 'sequence' };
}
