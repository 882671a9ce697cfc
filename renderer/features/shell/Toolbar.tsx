import { Icon } from '../../icons/icons.js';
import { useStudio, useStudioState } from '../../state/context.js';
import { effectiveTheme, type StudioState } from '../../state/studio.js';
import { transactionRefOf } from '../../state/model.js';
import { MenuButton } from './Menu.js';
import { debuggerOf } from '../debugger/debug-store.js';
import { openFullsync } from '../fullsync/open-fullsync.js';

function currentProjectState(s: StudioState) {
  const dir = s.selection?.project ?? s.order[0];
  return dir ? s.projects[dir] : undefined;
}

/** New ▾ · Open · Save · Undo · Redo · ▶ Execute · ■ Stop · Import ▾ · theme. */
export function Toolbar() {
  const studio = useStudio();
  const current = useStudioState(currentProjectState);
  const canExecute = useStudioState((s) => !!transactionRefOf(s.selection?.ref) || !!s.run.target);
  const running = useStudioState((s) => s.run.running);
  const theme = useStudioState(effectiveTheme);
  const hasProjects = useStudioState((s) => s.order.length > 0);
  return (
    <header
      className="toolbar"
      role="toolbar"
      aria-label="Main toolbar"
      onKeyDown={(e) => {
        // the toolbar pattern: Left/Right move between its enabled buttons
        if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
        const buttons = [...e.currentTarget.querySelectorAll<HTMLButtonElement>('button:not(:disabled)')];
        const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
        if (index < 0) return;
        e.preventDefault();
        buttons[(index + (e.key === 'ArrowRight' ? 1 : buttons.length - 1)) % buttons.length]?.focus();
      }}
    >
      <span className="brand" aria-hidden="true">
        <svg width="18" height="18" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.4">
          <path d="M2 2h12M2 2v12M8 2v12M14 2v12M2 8h12M2 14h12" />
        </svg>
      </span>
      <MenuButton
        label="New"
        icon="new"
        title="New project or transaction"
        items={[
          { label: 'Project…', icon: 'project', shortcut: 'Ctrl+N', onSelect: () => studio.newProject() },
          { label: 'Transaction…', icon: 'transaction', disabled: !hasProjects, onSelect: () => studio.newTransaction() },
        ]}
      />
      <button type="button" className="toolbar-button" onClick={() => studio.openProject()} title="Open a project folder (Ctrl+O)">
        <Icon name="open" />
        <span>Open</span>
      </button>
      <button type="button" className="toolbar-button" onClick={() => void studio.save()} disabled={!current?.dirty} title="Save the project (Ctrl+S)">
        <Icon name="save" />
        <span>Save</span>
      </button>
      <span className="toolbar-separator" role="separator" />
      <button type="button" className="toolbar-button icon-only" aria-label="Undo" onClick={() => void studio.undo()} disabled={!current?.canUndo} title="Undo (Ctrl+Z)">
        <Icon name="undo" />
      </button>
      <button type="button" className="toolbar-button icon-only" aria-label="Redo" onClick={() => void studio.redo()} disabled={!current?.canRedo} title="Redo (Ctrl+Shift+Z)">
        <Icon name="redo" />
      </button>
      <span className="toolbar-separator" role="separator" />
      <button type="button" className="toolbar-button run" onClick={() => studio.execute()} disabled={!canExecute} title="Execute the selected transaction (F5)">
        <Icon name="play" />
        <span>Execute</span>
      </button>
      <button type="button" className="toolbar-button debug" onClick={() => debuggerOf(studio).debug()} disabled={running} title="Debug the selected sequence: stop at its breakpoints, or at its first step (Ctrl+F5)">
        <span aria-hidden="true" className="toolbar-debug-glyph">●</span>
        <span>Debug</span>
      </button>
      <button type="button" className="toolbar-button stop" onClick={() => studio.stop()} disabled={!running} title="Stop the execution (Shift+F5)">
        <Icon name="stop" />
        <span>Stop</span>
      </button>
      <span className="toolbar-separator" role="separator" />
      <MenuButton
        label="Import"
        title="Import into the project"
        items={[
          { label: 'REST WS reference (OpenAPI)…', icon: 'connector', disabled: !hasProjects, onSelect: () => studio.importOpenApi() },
          { label: 'WSDL (SOAP web service)…', icon: 'connector', disabled: !hasProjects, onSelect: () => studio.importWsdl() },
        ]}
      />
      <MenuButton
        label="Project"
        icon="project"
        title="Export or deploy the project"
        items={[
          { label: 'Export bundle…', icon: 'save', disabled: !hasProjects, onSelect: () => studio.exportBundle() },
          { label: 'Deploy to server…', icon: 'up', disabled: !hasProjects, onSelect: () => studio.deployToServer() },
          { label: 'FullSync view', icon: 'connector', disabled: !hasProjects, onSelect: () => openFullsync(studio) },
        ]}
      />
      <span className="toolbar-spacer" />
      <button
        type="button"
        className="toolbar-button icon-only"
        aria-label={theme === 'dark' ? 'Switch to the light theme' : 'Switch to the dark theme'}
        title={theme === 'dark' ? 'Light theme' : 'Dark theme'}
        onClick={() => studio.toggleTheme()}
      >
        <Icon name={theme === 'dark' ? 'sun' : 'moon'} />
      </button>
    </header>
  );
}
