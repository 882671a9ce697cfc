import type { JSX } from 'react';
import type { StepTrace } from '../../state/trace.js';
import { formatMs } from '../run-panel/run-model.js';

const MAX_CHARS = 20_000;

function outputText(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value, null, 2) ?? 'undefined';
  } catch {
    text = String(value);
  }
  return text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS)}\n… (${text.length - MAX_CHARS} more characters)` : text;
}

/** The selected step's part of the last run: state, duration, passes, error, output (last pass). */
export function TraceInspector({ step, trace, onClose }: { step: string; trace: StepTrace; onClose(): void }): JSX.Element {
  const stateText = trace.state === 'done' ? 'Done' : trace.state === 'error' ? 'Failed' : trace.state === 'running' ? 'Running' : 'Stopped';
  return (
    <section className={`seq-inspector seq-inspector-${trace.state}`} aria-label={`Last run of ${step}`}>
      <header className="seq-inspector-header">
        <strong>{step}</strong>
        <span className={`seq-inspector-state state-${trace.state}`}>{stateText}</span>
        <span className="seq-inspector-ms">
          {formatMs(trace.ms)}
          {trace.passes > 1 ? ` · ${trace.passes} passes` : ''}
        </span>
        <button type="button" className="icon-button seq-inspector-close" aria-label="Close the step output" onClick={onClose}>
          ×
        </button>
      </header>
      {trace.error ? (
        <div className="seq-inspector-message" role="alert">
          <code>{trace.error.code}</code> {trace.error.message}
        </div>
      ) : null}
      {trace.hasOutput ? (
        <>
          <div className="seq-inspector-label">Output{trace.state === 'error' ? ' (last pass that succeeded)' : trace.passes > 1 ? ' (last pass)' : ''}</div>
          <pre className="seq-inspector-output" tabIndex={0} aria-label={`Output of ${step}`}>
            {outputText(trace.output)}
          </pre>
        </>
      ) : trace.error ? null : (
        <p className="seq-inspector-note">No output.</p>
      )}
    </section>
  );
}
