import { createContext, useContext } from 'react';
import type { StepKindInfo } from '../../../src/contract/index.js';
import type { SequenceTrace } from '../../state/trace.js';

/**
 * What step nodes read besides their step: kinds, the live trace, problems, the selection and the drop
 * target. A context (not node data) so a trace event repaints nodes without re-laying them out.
 */
export interface CanvasContextValue {
  kinds: readonly StepKindInfo[] | null;
  trace: SequenceTrace | undefined;
  /** problems (sequence.check) by step id */
  problems: ReadonlyMap<string, string[]>;
  selected: string | null;
  /** the container a drag would drop into ('' for the top level) */
  dropTarget: string | null;
  /** steps whose error is their own (no child failed): highlighted with the message */
  failing: ReadonlySet<string>;
  onSelect(id: string): void;
}

export const CanvasContext = createContext<CanvasContextValue>({
  kinds: null,
  trace: undefined,
  problems: new Map(),
  selected: null,
  dropTarget: null,
  failing: new Set(),
  onSelect: () => {},
});

export function useCanvas(): CanvasContextValue {
  return useContext(CanvasContext);
}
