import { Handle, Position } from '@xyflow/react';
import type { NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { JSX } from 'react';
import { BreakpointGutter } from '../debugger/BreakpointGutter.js';
import { useDebugMark } from '../debugger/use-debug-mark.js';
import { formatMs } from '../run-panel/run-model.js';
import { useCanvas } from './canvas-context.js';
import type { StartFlowNode, StepFlowNode } from './layout.js';
import { kindInfo } from './step-model.js';
import { StepIcon } from '../../icons/icons.js';
import { summarize } from './summary.js';

/** The DOM id of a step's node (the canvas's aria-activedescendant). */
export function nodeDomId(id: string): string {
  return `seq-node-${id}`;
}

function TraceBadge({ path }: { path: string }): JSX.Element | null {
  const { trace } = useCanvas();
  const t = trace?.steps[path];
  if (!t) return null;
  const passes = t.passes > 1 ? ` ×${t.passes}` : '';
  const label =
    t.state === 'running' ? 'running' : t.state === 'error' ? `failed after ${formatMs(t.ms)}` : t.state === 'stopped' ? 'stopped' : `done in ${formatMs(t.ms)}${passes ? `, ${t.passes} passes` : ''}`;
  return (
    <span className={`seq-trace seq-trace-${t.state}`} title={label} aria-label={label}>
      {t.state === 'running' ? <span className="seq-spinner" aria-hidden="true" /> : <span aria-hidden="true">{t.state === 'error' ? '✕' : t.state === 'stopped' ? '■' : '✓'}</span>}
      {t.state !== 'running' ? <span className="seq-trace-ms">{`${formatMs(t.ms)}${passes}`}</span> : null}
    </span>
  );
}

function ProblemBadge({ id }: { id: string }): JSX.Element | null {
  const { problems } = useCanvas();
  const list = problems.get(id);
  if (!list?.length) return null;
  return (
    <span className="seq-problem" title={list.join('\n')} aria-label={`${list.length} problem${list.length > 1 ? 's' : ''}: ${list.join('; ')}`}>
      ⚠
    </span>
  );
}

function stateClass(ctx: ReturnType<typeof useCanvas>, id: string, path: string): string {
  const t = ctx.trace?.steps[path];
  const classes = ['seq-node'];
  if (ctx.selected === id) classes.push('selected');
  if (t) classes.push(`state-${t.state}`);
  if (ctx.failing.has(id)) classes.push('failing');
  if (ctx.problems.get(id)?.length) classes.push('has-problem');
  return classes.join(' ');
}

function ErrorLine({ id, path, inline }: { id: string; path: string; inline?: boolean }): JSX.Element | null {
  const ctx = useCanvas();
  const t = ctx.trace?.steps[path];
  if (!t?.error || !ctx.failing.has(id)) return null;
  const Tag = inline ? 'span' : 'div';
  // the node already says which step: the message without its "sequence x, step a/b:" prefix
  const message = t.error.message.replace(/^sequence \S+, step \S+: /, '');
  return (
    <Tag className="seq-node-error" role="alert" title={`${t.error.code}: ${t.error.message}`}>
      {inline ? message : (
        <>
          <strong>{t.error.code}</strong> {message}
        </>
      )}
    </Tag>
  );
}

const hiddenHandle = { opacity: 0, pointerEvents: 'none' as const };

export const LeafNode = memo(function LeafNode({ id, data }: NodeProps<StepFlowNode>): JSX.Element {
  const ctx = useCanvas();
  const info = kindInfo(ctx.kinds, data.step.kind);
  const summary = summarize(data.step, info);
  const failing = ctx.failing.has(id);
  const debugMark = useDebugMark(data.path);
  return (
    <div
      id={nodeDomId(id)}
      data-step-id={id}
      className={`${stateClass(ctx, id, data.path)} seq-leaf cat-${info?.category ?? 'misc'}${data.step.disabled ? ' disabled' : ''}${debugMark}`}
      aria-label={`${id}, ${info?.title ?? data.step.kind}`}
      aria-selected={ctx.selected === id}
      role="option"
    >
      <Handle type="target" position={Position.Top} isConnectable={false} style={hiddenHandle} />
      <div className="seq-node-line">
        <BreakpointGutter step={id} />
        <StepIcon icon={info?.icon} className="seq-kind-icon" />
        <span className="seq-node-id">{id}</span>
        <span className="seq-node-kind">{info?.title ?? data.step.kind}</span>
        <ProblemBadge id={id} />
      </div>
      <div className="seq-node-line2">
        {failing ? (
          <ErrorLine id={id} path={data.path} inline />
        ) : (
          <span className="seq-node-summary" title={summary}>
            {summary}
          </span>
        )}
        <TraceBadge path={data.path} />
      </div>
      <Handle type="source" position={Position.Bottom} isConnectable={false} style={hiddenHandle} />
    </div>
  );
});

export const ContainerNode = memo(function ContainerNode({ id, data }: NodeProps<StepFlowNode>): JSX.Element {
  const ctx = useCanvas();
  const info = kindInfo(ctx.kinds, data.step.kind);
  const summary = summarize(data.step, info);
  const empty = (data.step.steps?.length ?? 0) === 0;
  const debugMark = useDebugMark(data.path);
  return (
    <div
      id={nodeDomId(id)}
      data-step-id={id}
      className={`${stateClass(ctx, id, data.path)} seq-container cat-${info?.category ?? 'misc'}${data.step.disabled ? ' disabled' : ''}${ctx.dropTarget === id ? ' drop-target' : ''}${debugMark}`}
      aria-label={`${id}, ${info?.title ?? data.step.kind}, ${data.step.steps?.length ?? 0} steps`}
      aria-selected={ctx.selected === id}
      role="option"
    >
      <Handle type="target" position={Position.Top} isConnectable={false} style={hiddenHandle} />
      <div className="seq-container-header">
        <BreakpointGutter step={id} />
        <StepIcon icon={info?.icon} className="seq-kind-icon" />
        <span className="seq-node-id">{id}</span>
        <span className="seq-node-kind">{info?.title ?? data.step.kind}</span>
        {summary ? (
          <span className="seq-node-summary" title={summary}>
            {summary}
          </span>
        ) : null}
        <ProblemBadge id={id} />
        <TraceBadge path={data.path} />
      </div>
      <ErrorLine id={id} path={data.path} />
      {empty ? <div className="seq-container-empty">Drop steps here, or select it and press Enter on a palette kind</div> : null}
      <Handle type="source" position={Position.Bottom} isConnectable={false} style={hiddenHandle} />
    </div>
  );
});

export const StartNode = memo(function StartNode({ data }: NodeProps<StartFlowNode>): JSX.Element {
  const vars = data.sequence.variables ?? [];
  const ctx = useCanvas();
  const result = ctx.trace?.result;
  return (
    <div className={`seq-start${ctx.trace?.running ? ' running' : result ? (result.ok ? ' ok' : ' failed') : ''}`} title={vars.length ? `Variables: ${vars.map((v) => v.name).join(', ')}` : 'No variables'}>
      <StepIcon icon="start" className="seq-start-icon" />
      <span className="seq-start-name">{data.sequence.name}</span>
      {vars.length ? <span className="seq-start-vars">({vars.map((v) => v.name).join(', ')})</span> : null}
      {ctx.trace?.running ? <span className="seq-spinner" aria-hidden="true" /> : result ? <span className="seq-trace-ms">{formatMs(result.ms)}</span> : null}
      <Handle type="source" position={Position.Bottom} isConnectable={false} style={hiddenHandle} />
    </div>
  );
});

export const nodeTypes = { step: LeafNode, container: ContainerNode, start: StartNode };
