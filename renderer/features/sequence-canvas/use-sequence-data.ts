import { useEffect, useState, useSyncExternalStore } from 'react';
import type { Result, SourceNodeDto } from '../../../src/contract/index.js';
import type { Sequence } from '../../../src/model/index.js';
import type { Studio } from '../../state/studio.js';
import type { SequenceTrace } from '../../state/trace.js';

export type SequenceProblem = Result<'sequence.check'>['problems'][number];

/** The live trace of a sequence's last execution. */
export function useSequenceTrace(studio: Studio, project: string, sequence: string): SequenceTrace | undefined {
  return useSyncExternalStore(studio.traces.subscribe, () => studio.traces.get(project, sequence));
}

/**
 * The static problems of a sequence (sequence.check: broken sources, unknown kinds, invalid props),
 * checked again a moment after each edit. `sequence` is the model object: a new object means an edit.
 */
export function useSequenceProblems(studio: Studio, project: string, sequence: Sequence | undefined): SequenceProblem[] {
  const [problems, setProblems] = useState<SequenceProblem[]>([]);
  useEffect(() => {
    if (!sequence) {
      setProblems([]);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      studio.api['sequence.check']({ project, sequence: sequence.name }).then(
        (r) => live && setProblems(r.problems),
        () => live && setProblems([]),
      );
    }, 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [studio, project, sequence]);
  return problems;
}

/** Problems by step id (the last id of their step path), as the canvas and the picker flag them. */
export function problemsByStep(problems: readonly SequenceProblem[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const p of problems) {
    const id = p.stepPath.split('/').pop() ?? '';
    const list = map.get(id) ?? [];
    list.push(p.property ? `${p.property}: ${p.message}` : p.message);
    map.set(id, list);
  }
  return map;
}

export interface SourcesState {
  tree: SourceNodeDto[] | null;
  error: string | null;
  loading: boolean;
}

/**
 * Every source in scope for a step (sequence.sources), fetched again when the sequence changes, a
 * run finishes (new samples) or a schema is updated.
 */
export function useSources(studio: Studio, project: string | null, sequence: Sequence | undefined, step: string | null, refresh: unknown): SourcesState {
  const [state, setState] = useState<SourcesState>({ tree: null, error: null, loading: false });
  const name = sequence?.name;
  useEffect(() => {
    if (!project || !name || !step) {
      setState({ tree: null, error: null, loading: false });
      return;
    }
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    const timer = setTimeout(() => {
      studio.api['sequence.sources']({ project, sequence: name, step }).then(
        (r) => live && setState({ tree: r.tree, error: null, loading: false }),
        (e: unknown) => live && setState({ tree: null, error: e instanceof Error ? e.message : String(e), loading: false }),
      );
    }, 80);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [studio, project, name, sequence, step, refresh]);
  return state;
}
