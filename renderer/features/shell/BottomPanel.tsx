import { memo, useCallback, useDeferredValue, useMemo } from 'react';
import type { KeyboardEvent } from 'react';
import type { ExecutionResult } from '../../../src/contract/index.js';
import { Icon } from '../../icons/icons.js';
import { useStudio, useStudioState } from '../../state/context.js';
import { effectiveVariables, findSequence, findTransaction, projectOf, refOfFile } from '../../state/model.js';
import type { BottomTab } from '../../state/studio.js';
import { SourcePicker } from '../source-picker/SourcePicker.js';
import { debuggerOf } from '../debugger/debug-store.js';
import { useDebugState } from '../debugger/use-debug.js';
import { OutputPanel, RunPanel } from './panels.js';
import { TestsPanel } from '../testing/TestsPanel.js';
import { HistoryPanel } from '../history/HistoryPanel.js';
import { SchedulesPanel } from '../schedules/SchedulesPanel.js';

const TABS: { id: BottomTab; label: string }[] = [
  { id: 'response', label: 'Response' },
  { id: 'output', label: 'Output' },
  { id: 'problems', label: 'Problems' },
  { id: 'sources', label: 'Source picker' },
  { id: 'tests', label: 'Tests' },
  { id: 'history', label: 'History' },
  { id: 'schedules', label: 'Schedules' },
];

function ProblemsPanel() {
  const studio = useStudio();
  const order = useStudioState((s) => s.order);
  const projects = useStudioState((s) => s.projects);
  const items = order.flatMap((dir) => {
    const state = projects[dir];
    return state ? state.problems.map((p, i) => ({ dir, state, problem: p, key: `${dir}:${i}` })) : [];
  });
  if (items.length === 0) return <div className="empty-state">No problems. Files that fail to load, and invalid settings, are listed here with their file and line.</div>;
  return (
    <ul className="problems" aria-label="Problems">
      {items.map(({ dir, state, problem, key }) => (
        <li key={key}>
          <button
            type="button"
            className={`problem problem-${problem.severity}`}
            onClick={() => studio.select(dir, refOfFile(projectOf(state), problem.file), { reveal: true, focusTree: false })}
            title="Select the object this problem is about"
          >
            <Icon name={problem.severity === 'error' ? 'error' : 'warning'} />
            <span className="problem-message">{problem.message}</span>
            <span className="problem-location">
              {projectOf(state).name}/{problem.file}:{problem.line}:{problem.col}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}

const MemoRunPanel = memo(RunPanel);

function ResponseTab() {
  const studio = useStudio();
  // deferred: selecting a transaction paints the tree first, the run panel follows
  const run = useDeferredValue(useStudioState((s) => s.run));
  const fallbackProject = useStudioState((s) => s.selection?.project ?? null);
  const project = run.project ?? fallbackProject;
  const state = useStudioState((s) => (project ? s.projects[project] : undefined));
  const variables = useMemo(() => {
    if (!state || !run.target) return [];
    if (run.targetType === 'sequence') return findSequence(projectOf(state), run.target)?.variables ?? [];
    const dot = run.target.indexOf('.');
    return effectiveVariables(findTransaction(projectOf(state), run.target.slice(0, dot), run.target.slice(dot + 1)));
  }, [state, run.target, run.targetType]);
  const onFinished = useCallback((r: ExecutionResult) => studio.runFinished(r), [studio]);
  const pausedAt = useDebugState((s) => s.session?.paused?.step.id);
  const targetType = run.targetType;
  const onRunStart = useCallback((runId: string, target: string) => {
    if (targetType === 'sequence' && project) studio.traces.begin(project, target, runId);
  }, [studio, project, targetType]);
  if (!project) return <div className="empty-state">Select a transaction or a sequence and press F5 to execute it; its response shows here.</div>;
  return (
    <MemoRunPanel
      api={studio.api}
      onEvent={studio.onEvent}
      project={project}
      target={run.target}
      targetKind={run.targetType}
      onRunStart={onRunStart}
      variables={variables}
      runRequest={run.runRequest}
      stopRequest={run.stopRequest}
      onFinished={onFinished}
      runSequence={debuggerOf(studio).runSequence}
      pausedAt={pausedAt}
      onShowTests={() => studio.setBottomTab('tests')}
    />
  );
}

/** The project the Tests and History panels show: the selected one, else the first open. */
function usePanelProject(): string | null {
  return useStudioState((s) => s.selection?.project ?? s.order[0] ?? null);
}

/** The bottom panel: Response (variables and the result of F5) · Output (logs) · Problems · Source picker. */
export function BottomPanel() {
  const studio = useStudio();
  const tab = useStudioState((s) => s.bottomTab);
  const panelProject = usePanelProject();
  const problems = useStudioState((s) => s.order.reduce((n, d) => n + (s.projects[d]?.problems.length ?? 0), 0));
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const index = TABS.findIndex((t) => t.id === tab);
    const next = TABS[(index + (e.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length]!;
    studio.setBottomTab(next.id);
    document.getElementById(`bottom-tab-${next.id}`)?.focus();
  };
  return (
    <section className="bottom-panel" aria-label="Panels">
      <div className="panel-tabs" role="tablist" aria-label="Panels" onKeyDown={onKeyDown}>
        {TABS.map((t) => (
          <button
            key={t.id}
            id={`bottom-tab-${t.id}`}
            type="button"
            role="tab"
            aria-selected={tab === t.id}
            aria-controls={`bottom-panel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            className={`panel-tab${tab === t.id ? ' active' : ''}`}
            onClick={() => studio.setBottomTab(t.id)}
          >
            {t.label}
            {t.id === 'problems' && problems > 0 ? <span className="count-badge">{problems}</span> : null}
          </button>
        ))}
      </div>
      <div id="bottom-panel-response" role="tabpanel" aria-labelledby="bottom-tab-response" className="panel-body" hidden={tab !== 'response'}>
        <ResponseTab />
      </div>
      <div id="bottom-panel-output" role="tabpanel" aria-labelledby="bottom-tab-output" className="panel-body" hidden={tab !== 'output'}>
        <OutputPanel onEvent={studio.onEvent} api={studio.api} />
      </div>
      <div id="bottom-panel-problems" role="tabpanel" aria-labelledby="bottom-tab-problems" className="panel-body" hidden={tab !== 'problems'}>
        <ProblemsPanel />
      </div>
      <div id="bottom-panel-sources" role="tabpanel" aria-labelledby="bottom-tab-sources" className="panel-body" hidden={tab !== 'sources'}>
        {tab === 'sources' ? <SourcePicker /> : null}
      </div>
      <div id="bottom-panel-tests" role="tabpanel" aria-labelledby="bottom-tab-tests" className="panel-body" hidden={tab !== 'tests'}>
        {tab === 'tests' ? <TestsPanel api={studio.api} onEvent={studio.onEvent} project={panelProject} /> : null}
      </div>
      <div id="bottom-panel-history" role="tabpanel" aria-labelledby="bottom-tab-history" className="panel-body" hidden={tab !== 'history'}>
        {tab === 'history' ? <HistoryPanel api={studio.api} onEvent={studio.onEvent} project={panelProject} visible={tab === 'history'} /> : null}
      </div>
      <div id="bottom-panel-schedules" role="tabpanel" aria-labelledby="bottom-tab-schedules" className="panel-body" hidden={tab !== 'schedules'}>
        {tab === 'schedules' ? <SchedulesPanel api={studio.api} project={panelProject} visible={tab === 'schedules'} /> : null}
      </div>
    </section>
  );
}
