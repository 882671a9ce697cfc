import { memo, useCallback, useDeferredValue, useEffect, useMemo, useState } from 'react';
import type { ObjectRef } from '../src/contract/index.js';
import { ProjectsTree } from './features/projects-tree/ProjectsTree.js';
import { DeployDialog } from './features/bundle/DeployDialog.js';
import { ExportBundleDialog } from './features/bundle/ExportBundleDialog.js';
import { FolderPicker } from './features/folder-picker/FolderPicker.js';
import { BottomPanel } from './features/shell/BottomPanel.js';
import { EditorArea } from './features/shell/EditorArea.js';
import { installShortcuts } from './features/shell/keyboard.js';
import { ConfirmDialog } from './features/shell/Modal.js';
import { NoticeToast } from './features/shell/Notice.js';
import { PropertyEditor, flushPropertyEdits } from './features/shell/panels.js';
import { QuickOpen } from './features/shell/QuickOpen.js';
import { Splitter } from './features/shell/Splitter.js';
import { StatusBar } from './features/shell/StatusBar.js';
import { Toolbar } from './features/shell/Toolbar.js';
import { ImportOpenApiWizard } from './features/wizards/ImportOpenApiWizard.js';
import { ImportWsdlWizard } from './features/wizards/ImportWsdlWizard.js';
import { NewProjectWizard } from './features/wizards/NewProjectWizard.js';
import { NewTransactionWizard } from './features/wizards/NewTransactionWizard.js';
import { NewVariableWizard } from './features/wizards/NewVariableWizard.js';
import { StepRunOutput } from './features/sequence-canvas/StepRunOutput.js';
import { GenerateCrudDialog } from './features/sql-editor/GenerateCrudDialog.js';
import { useStudio, useStudioState } from './state/context.js';
import { loadPreference, savePreference } from './state/preferences.js';
import { effectiveTheme } from './state/studio.js';

const MemoPropertyEditor = memo(PropertyEditor);

function PropertiesPanel() {
  const studio = useStudio();
  // the tree paints the new selection first; the form follows in a deferred render
  const selection = useDeferredValue(useStudioState((s) => s.selection));
  const state = useStudioState((s) => (selection ? s.projects[selection.project] : undefined));
  const kinds = useStudioState((s) => s.kinds);
  const stepKinds = useStudioState((s) => s.stepKinds);
  const pick = useStudioState((s) => s.sourcePick);
  const project = selection?.project;
  const onSelect = useCallback((ref: ObjectRef) => project && studio.select(project, ref, { reveal: true }), [studio, project]);
  const onPickSource = useCallback(
    (ref: Extract<ObjectRef, { type: 'step' }>, path: string[]) => project && studio.pickSource({ project, sequence: ref.sequence, step: ref.step, path }),
    [studio, project],
  );
  const picking = useMemo(() => (pick && pick.project === project ? { ref: { type: 'step' as const, sequence: pick.sequence, step: pick.step }, path: pick.path } : null), [pick, project]);
  const ref = selection && !selection.key.includes('\u0001f:') ? selection.ref : null;
  return (
    <section className="properties-view" aria-label="Properties">
      <div className="view-header">
        <h2 className="view-title">Properties</h2>
      </div>
      <div className="properties-body">
        <StepRunOutput />
        {state && kinds && selection ? (
          <MemoPropertyEditor api={studio.api} state={state} selection={ref} kinds={kinds} onSelect={onSelect} stepKinds={stepKinds} onPickSource={onPickSource} picking={picking} />
        ) : (
          <div className="empty-state">Select an object in the Projects view to edit its properties.</div>
        )}
      </div>
    </section>
  );
}

function Dialogs() {
  const studio = useStudio();
  const dialog = useStudioState((s) => s.dialog);
  const lastLocation = loadPreference<string>('lastOpen', '');
  if (!dialog) return null;
  switch (dialog.type) {
    case 'newProject':
      return <NewProjectWizard />;
    case 'openProject':
      return (
        <FolderPicker
          api={studio.api}
          mode="open"
          initialDir={lastLocation || undefined}
          onCancel={() => studio.closeDialog()}
          onPick={(dir) => {
            const parent = dir.replace(/[\\/][^\\/]+[\\/]?$/, '');
            savePreference('lastOpen', parent || dir);
            studio.closeDialog();
            void studio.openProjectDir(dir);
          }}
        />
      );
    case 'newTransaction':
      return <NewTransactionWizard project={dialog.project} connector={dialog.connector} />;
    case 'newVariable':
      return <NewVariableWizard project={dialog.project} connector={dialog.connector} transaction={dialog.transaction} />;
    case 'confirmDelete':
      return (
        <ConfirmDialog
          title="Delete"
          message={<>Delete {dialog.label}? Undo (Ctrl+Z) brings it back until you close the project.</>}
          confirmLabel="Delete"
          danger
          onCancel={() => studio.closeDialog()}
          onConfirm={() => void studio.delete(dialog.project, dialog.ref)}
        />
      );
    case 'importOpenApi':
      return <ImportOpenApiWizard project={dialog.project} connector={dialog.connector} />;
    case 'importWsdl':
      return <ImportWsdlWizard project={dialog.project} connector={dialog.connector} />;
    case 'quickOpen':
      return <QuickOpen />;
    case 'generateCrud':
      return <GenerateCrudDialog project={dialog.project} connector={dialog.connector} />;
    case 'exportBundle':
      return <ExportBundleDialog project={dialog.project} />;
    case 'deployBundle':
      return <DeployDialog project={dialog.project} />;
  }
}

/** The studio window: toolbar, Projects · editor · Properties, the bottom panel, the status bar. */
export function App() {
  const studio = useStudio();
  const theme = useStudioState(effectiveTheme);
  const [left, setLeft] = useState(() => loadPreference('layout.left', 280));
  const [right, setRight] = useState(() => loadPreference('layout.right', 340));
  const [bottom, setBottom] = useState(() => loadPreference('layout.bottom', 330));

  useEffect(() => studio.start(), [studio]);
  useEffect(() => installShortcuts(studio), [studio]);
  useEffect(() => studio.addFlusher(flushPropertyEdits), [studio]);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    document.documentElement.style.colorScheme = theme;
  }, [theme]);
  useEffect(() => savePreference('layout.left', left), [left]);
  useEffect(() => savePreference('layout.right', right), [right]);
  useEffect(() => savePreference('layout.bottom', bottom), [bottom]);

  return (
    <div className="studio" style={{ gridTemplateColumns: `${left}px 4px minmax(200px, 1fr) 4px ${right}px` }}>
      <Toolbar />
      <aside className="left-pane">
        <ProjectsTree />
      </aside>
      <Splitter label="Resize the Projects view" orientation="vertical" value={left} min={160} max={640} sign={1} onChange={setLeft} gridArea="split1" />
      <main className="centre-pane" style={{ gridTemplateRows: `minmax(80px, 1fr) 4px ${bottom}px` }}>
        <EditorArea />
        <Splitter label="Resize the bottom panel" orientation="horizontal" value={bottom} min={80} max={900} sign={-1} onChange={setBottom} />
        <BottomPanel />
      </main>
      <Splitter label="Resize the Properties view" orientation="vertical" value={right} min={200} max={720} sign={-1} onChange={setRight} gridArea="split2" />
      <aside className="right-pane">
        <PropertiesPanel />
      </aside>
      <StatusBar />
      <Dialogs />
      <NoticeToast />
    </div>
  );
}
