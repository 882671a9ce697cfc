import type { Sequence, Step } from '../../model/index.js';
import { stepKind } from '../../steps/index.js';
import type { RunStep, StepKind } from '../../steps/step-kind.js';
import { compileValue, SLOT_SESSION, SLOT_UNKNOWN, SLOT_VARIABLES, type CompileEnv, type SourceRef } from '../sources.js';
import { TrellisError } from '../errors.js';

export interface StepProblem {
  /** 'card/title'; '' for the sequence itself */
  stepPath: string;
  message: string;
}

/** A sequence ready to run: built once per Sequence object (treat sequence objects as immutable). */
export interface CompiledSequence {
  readonly sequence: Sequence;
  /** enabled top-level steps */
  readonly root: readonly RunStep[];
  /** every step, disabled ones too, in document order: all[slot] */
  readonly all: readonly RunStep[];
  readonly slotById: ReadonlyMap<string, number>;
  /** steps that are disabled or inside a disabled container */
  readonly disabled: ReadonlySet<RunStep>;
  /** steps whose kind is unknown or whose props failed validation: their kind's own checks are skipped */
  readonly invalid: ReadonlySet<RunStep>;
  readonly sources: ReadonlyMap<RunStep, readonly SourceRef[]>;
  /** problems found while compiling: unknown kinds, invalid props, duplicate ids, malformed sources, path syntax */
  readonly problems: readonly StepProblem[];
  /** true when some enabled step runs JavaScript: the execution loads the sandbox first */
  readonly usesScript: boolean;
}

interface MutableRunStep {
  id: string;
  path: string;
  slot: number;
  kind: StepKind;
  props: unknown;
  raw: unknown;
  children: RunStep[];
  sync: boolean;
  childrenSync: boolean;
  parent: RunStep | undefined;
  step: Step;
}

/** Stands for a kind the registry does not know, so the rest of the sequence still compiles and checks. */
function unknownKind(id: string): StepKind {
  return {
    kind: id,
    title: id,
    category: 'misc',
    description: 'A step kind this version of Trellis does not know',
    icon: 'unknown',
    props: undefined as never,
    container: true,
    async run() {
      throw new TrellisError('INVALID_PROJECT', `unknown step kind "${id}"`);
    },
  };
}

type ParsedProps = { ok: true; data: Record<string, unknown> } | { ok: false; messages: string[] };

// Parsing props with zod is the slow part of compiling; a step object that did not change between two
// versions of a sequence (the studio edits one step at a time) is parsed once.
const parsedProps = new WeakMap<Step, ParsedProps>();

function parseProps(step: Step, kind: StepKind): ParsedProps {
  let hit = parsedProps.get(step);
  if (!hit) {
    const r = kind.props.safeParse(step.props ?? {});
    hit = r.success
      ? { ok: true, data: r.data as Record<string, unknown> }
      : { ok: false, messages: r.error.issues.map((i) => `props${i.path.length ? '.' + i.path.join('.') : ''}: ${i.message}`) };
    parsedProps.set(step, hit);
  }
  return hit;
}

const compiledSequences = new WeakMap<Sequence, CompiledSequence>();
const debugCompiledSequences = new WeakMap<Sequence, CompiledSequence>();

/**
 * `debug`: a separate compile where no step is `sync`, so every step goes through the async step loop,
 * where a debugger may pause; the normal compile (and its fast path) stays untouched.
 */
export function compileSequence(sequence: Sequence, debug = false): CompiledSequence {
  const cache = debug ? debugCompiledSequences : compiledSequences;
  let hit = cache.get(sequence);
  if (!hit) {
    hit = compileUncached(sequence, debug);
    cache.set(sequence, hit);
  }
  return hit;
}

function compileUncached(sequence: Sequence, debug: boolean): CompiledSequence {
  const problems: StepProblem[] = [];
  const all: MutableRunStep[] = [];
  const slotById = new Map<string, number>();
  const disabled = new Set<RunStep>();
  const invalid = new Set<RunStep>();
  const sources = new Map<RunStep, SourceRef[]>();
  let usesScript = false;

  // Slots first (document order), so a source may name a step that comes later: the check then says why
  // it cannot read it. The first step with an id owns it; duplicates are reported below.
  const slots = new Map<Step, number>();
  const number = (steps: readonly Step[]) => {
    for (const step of steps) {
      slots.set(step, slots.size);
      if (!slotById.has(step.id)) slotById.set(step.id, slots.size - 1);
      if (step.steps) number(step.steps);
    }
  };
  number(sequence.steps);

  const slotOf = (from: string) => (from === 'variables' ? SLOT_VARIABLES : from === 'session' ? SLOT_SESSION : (slotById.get(from) ?? SLOT_UNKNOWN));

  const seen = new Set<string>();
  const build = (step: Step, parent: RunStep | undefined, off: boolean): MutableRunStep => {
    const path = parent ? `${parent.path}/${step.id}` : step.id;
    if (seen.has(step.id)) problems.push({ stepPath: path, message: `duplicate step id "${step.id}": ids are unique in a sequence, because sources name them` });
    seen.add(step.id);
    const kind = stepKind(step.kind) ?? unknownKind(step.kind);
    const node: MutableRunStep = { id: step.id, path, slot: slots.get(step)!, kind, props: step.props ?? {}, raw: step.props ?? {}, children: [], sync: false, childrenSync: true, parent, step };
    all[node.slot] = node;
    const isOff = off || step.disabled === true;
    if (isOff) disabled.add(node as RunStep);
    if (!stepKind(step.kind)) {
      invalid.add(node as RunStep);
      if (!isOff) problems.push({ stepPath: path, message: `unknown step kind "${step.kind}"` });
    } else {
      const parsed = parseProps(step, kind);
      if (!parsed.ok) {
        invalid.add(node as RunStep);
        if (!isOff) for (const message of parsed.messages) problems.push({ stepPath: path, message });
      } else {
        const env: CompileEnv = { slotOf, problems: [], sources: [], expressions: [] };
        const compiled: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(parsed.data)) compiled[key] = compileValue(value, `props.${key}`, env);
        node.raw = parsed.data;
        node.props = compiled;
        if (!isOff) {
          for (const message of env.problems) problems.push({ stepPath: path, message });
          sources.set(node as RunStep, env.sources);
          if (env.expressions.length || kind.script) usesScript = true;
        }
      }
    }
    if (step.steps?.length && !kind.container && !isOff) problems.push({ stepPath: path, message: `a ${step.kind} step holds no steps (it is not a container)` });
    for (const child of step.steps ?? []) {
      const c = build(child, node as RunStep, isOff);
      if (!child.disabled && !isOff) node.children.push(c as RunStep);
    }
    node.childrenSync = !debug && node.children.every((c) => c.sync);
    node.sync = !debug && kind.runSync !== undefined && node.childrenSync;
    return node;
  };
  const root: RunStep[] = [];
  for (const step of sequence.steps) {
    const node = build(step, undefined, false);
    if (!step.disabled) root.push(node as RunStep);
  }
  for (const id of ['variables', 'session']) {
    const slot = slotById.get(id);
    if (slot !== undefined) problems.push({ stepPath: all[slot]!.path, message: `"${id}" is reserved for sources: choose another step id` });
  }
  return { sequence, root, all: all as RunStep[], slotById, disabled, invalid, sources, problems, usesScript };
}
