/** The panels other features provide, mounted by the shell. */
export { PropertyEditor } from '../editors/PropertyEditor.js';
export { RunPanel } from '../run-panel/RunPanel.js';
export { OutputPanel } from '../output/OutputPanel.js';
export { flushPropertyEdits } from '../editors/pending-edits.js';
