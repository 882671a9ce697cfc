// Sequences: compile, check, run. See execute-sequence.ts for the entry point.
export { executeSequence, prepareSequence, findSequence, DEFAULT_MAX_STEPS, MAX_CALL_DEPTH, type SequenceOptions, type SequenceResult, type SequenceSnapshot } from './execute-sequence.js';
export { checkSequence, type StepProblem } from './check.js';
export { compileSequence, type CompiledSequence } from './compile.js';
export { stepsInScope, whyNotInScope } from './scope.js';
export { sequenceError, type SequenceErrorCode } from './errors.js';
export type { RecordedCall } from './run-state.js';
