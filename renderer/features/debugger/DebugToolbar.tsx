import type { JSX } from 'react';
import type { DebugCommandName } from '../../../src/contract/index.js';
import { useStudio } from '../../state/context.js';
import { DEBUG_KEYS } from './debug-keys.js';
import { useDebugger, useDebugState } from './use-debug.js';

const BUTTONS: Array<{ command: DebugCommandName; label: string; glyph: string; keys: string }> = [
  { command: 'continue', label: 'Continue', glyph: '▶', keys: DEBUG_KEYS.continue },
  { command: 'stepOver', label: 'Step Over', glyph: '↷', keys: DEBUG_KEYS.stepOver },
  { command: 'stepInto', label: 'Step Into', glyph: '↓', keys: DEBUG_KEYS.stepInto },
  { command: 'stepOut', label: 'Step Out', glyph: '↑', keys: DEBUG_KEYS.stepOut },
];

/** Continue · Step Over · Step Into · Step Out · Stop, while a debug run is active. */
export function DebugToolbar(): JSX.Element | null {
  const studio = useStudio();
  const dbg = useDebugger();
  const session = useDebugState((s) => s.session);
  if (!session) return null;
  const paused = !!session.paused && !session.sending;
  return (
    <div className="dbg-toolbar" role="toolbar" aria-label="Debug">
      {BUTTONS.map((b) => (
        <button
          key={b.command}
          type="button"
          className={`dbg-button dbg-${b.command}`}
          disabled={!paused}
          onClick={() => dbg.command(b.command)}
          title={`${b.label} (${b.keys})`}
          aria-label={`${b.label} (${b.keys})`}
        >
          <span aria-hidden="true" className="dbg-glyph">
            {b.glyph}
          </span>
          <span className="dbg-button-label">{b.label}</span>
        </button>
      ))}
      <button type="button" className="dbg-button dbg-stop" onClick={() => studio.stop()} title={`Stop (${DEBUG_KEYS.stop})`} aria-label={`Stop (${DEBUG_KEYS.stop})`}>
        <span aria-hidden="true" className="dbg-glyph">
          ■
        </span>
        <span className="dbg-button-label">Stop</span>
      </button>
      <span className="dbg-status" role="status">
        {session.paused ? `Paused at ${session.paused.step.id}` : 'Running…'}
      </span>
    </div>
  );
}
