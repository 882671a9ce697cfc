// The sequence debugger: breakpoints, stepping and snapshots, attached to one execution through SequenceOptions.debug.
export { DebugController, DEBUG_COMMANDS, type Breakpoint, type DebugCommand, type DebugListener } from './controller.js';
export { DebugFrame } from './frame.js';
export { buildSnapshot, type DebugSnapshot, type PauseReason } from './snapshot.js';
export { Bounder, DEFAULT_BOUNDS, type Bounds } from './bound.js';
