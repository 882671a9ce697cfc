import { useEffect, useMemo, useRef, useState } from 'react';
import type { JSX, KeyboardEvent } from 'react';
import type { SourceNodeDto } from '../../../src/contract/index.js';
import type { Step } from '../../../src/model/index.js';
import { Icon, StepIcon } from '../../icons/icons.js';
import { useStudio, useStudioState } from '../../state/context.js';
import { findSequence, findStep, projectOf } from '../../state/model.js';
import type { SourcePick } from '../../state/studio.js';
import { describeSource } from '../editors/step-props/dynamic.js';
import { indexSteps, kindInfo } from '../sequence-canvas/step-model.js';
import { useSequenceProblems, useSequenceTrace, useSources } from '../sequence-canvas/use-sequence-data.js';
import { currentSource, defaultExpanded, findNode, nodeKey, pickableProperties, sampleText, sourceKey, sourceRows } from './source-model.js';
import type { SourceRow } from './source-model.js';
import '../../styles/source-picker.css';

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * The source picker: for the selected step, every source in its scope (the sequence's variables and
 * the steps that ran before it, expanded along their output schemas, with samples from the last run).
 * Clicking a node (or Enter) sets the chosen property to `{source: {from, path}}`. Sources that are no
 * longer in scope are flagged, with the sequence's static check.
 */
export function SourcePicker(): JSX.Element {
  const studio = useStudio();
  const selection = useStudioState((s) => s.selection);
  const pick = useStudioState((s) => s.sourcePick);
  const kinds = useStudioState((s) => s.stepKinds);
  const schemasVersion = useStudioState((s) => s.schemasVersion);

  // the step: the selected one, else the one a "Pick…" named
  const stepTarget = selection?.ref.type === 'step' ? { project: selection.project, sequence: selection.ref.sequence, step: selection.ref.step } : pick ? { project: pick.project, sequence: pick.sequence, step: pick.step } : null;
  const state = useStudioState((s) => (stepTarget ? s.projects[stepTarget.project] : undefined));
  const model = state ? projectOf(state) : undefined;
  const sequence = model && stepTarget ? findSequence(model, stepTarget.sequence) : undefined;
  const step = sequence && stepTarget ? findStep(sequence.steps, stepTarget.step) : undefined;
  const info = step ? kindInfo(kinds, step.kind) : undefined;
  const properties = useMemo(() => (model && step ? pickableProperties(model, step, info) : []), [model, step, info]);

  const pickPath = pick && stepTarget && pick.project === stepTarget.project && pick.sequence === stepTarget.sequence && pick.step === stepTarget.step ? pick.path : null;
  const property = properties.find((p) => pickPath && samePath(p.path, pickPath)) ?? (pickPath ? { path: pickPath, label: pickPath.slice(1).join('.') } : properties[0]);

  const trace = useSequenceTrace(studio, stepTarget?.project ?? '', stepTarget?.sequence ?? '');
  const refresh = `${schemasVersion}:${trace && !trace.running ? trace.runId : ''}`;
  const sources = useSources(studio, stepTarget?.project ?? null, sequence, step ? stepTarget!.step : null, refresh);
  const problems = useSequenceProblems(studio, stepTarget?.project ?? '', sequence);

  if (!stepTarget || !sequence || !step) {
    return (
      <div className="empty-state sp-empty">
        Select a step on a sequence canvas (or in Projects): the source picker lists the data in its scope — the sequence variables and the output of the steps before it — and sets a property to the field you click. In Properties, “Pick…” next to a property chooses which one.
      </div>
    );
  }
  const target: SourcePick | null = property ? { project: stepTarget.project, sequence: stepTarget.sequence, step: stepTarget.step, path: property.path } : null;
  const path = indexSteps(sequence.steps).byId.get(step.id)?.path.join('/') ?? step.id;
  const stepProblems = problems.filter((p) => p.stepPath === path);
  return (
    <SourcePickerView
      key={`${stepTarget.project}\u0001${stepTarget.sequence}\u0001${stepTarget.step}`}
      step={step}
      kindTitle={info?.title ?? step.kind}
      kindIcon={info?.icon}
      properties={properties}
      target={target}
      tree={sources.tree}
      error={sources.error}
      loading={sources.loading}
      problems={stepProblems.map((p) => (p.property ? `${p.property}: ${p.message}` : p.message))}
      stepKinds={(id) => {
        const s = findStep(sequence.steps, id);
        return s ? kindInfo(kinds, s.kind)?.icon : undefined;
      }}
      onChooseProperty={(p) => studio.pickSource({ project: stepTarget.project, sequence: stepTarget.sequence, step: stepTarget.step, path: p }, false)}
      onApply={(node) => (target ? studio.applySource(target, node) : Promise.resolve(false))}
    />
  );
}

interface ViewProps {
  step: Step;
  kindTitle: string;
  kindIcon: string | undefined;
  properties: { path: string[]; label: string }[];
  target: SourcePick | null;
  tree: SourceNodeDto[] | null;
  error: string | null;
  loading: boolean;
  problems: string[];
  stepKinds(id: string): string | undefined;
  onChooseProperty(path: string[]): void;
  onApply(node: SourceNodeDto): Promise<boolean>;
}

function SourcePickerView({ step, kindTitle, kindIcon, properties, target, tree, error, loading, problems, stepKinds, onChooseProperty, onApply }: ViewProps): JSX.Element {
  const current = target ? currentSource(step, target.path) : undefined;
  const currentKey = current ? sourceKey(current) : undefined;
  const [expanded, setExpanded] = useState<Set<string> | null>(null);
  const [filter, setFilter] = useState('');
  const [active, setActive] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const treeRef = useRef<HTMLDivElement>(null);

  // open two levels (and the way to the current source) when the tree arrives; nodes that get
  // children later (a schema was updated) open the same way, nodes the user closed stay closed
  const known = useRef<Set<string>>(new Set());
  useEffect(() => {
    if (!tree) return;
    const open = defaultExpanded(tree, 2, currentKey);
    const fresh = [...open].filter((k) => !known.current.has(k));
    const all = new Set<string>();
    const walk = (nodes: readonly SourceNodeDto[]) =>
      nodes.forEach((n) => {
        if (n.children.length) all.add(nodeKey(n));
        walk(n.children);
      });
    walk(tree);
    const first = expanded === null;
    known.current = all;
    if (first) setExpanded(open);
    else if (fresh.length) setExpanded((e) => new Set([...(e ?? []), ...fresh]));
  }, [tree, currentKey]);

  const rows = useMemo(() => (tree ? sourceRows(tree, expanded ?? new Set(), filter) : []), [tree, expanded, filter]);
  const activeIndex = rows.findIndex((r) => r.key === (active ?? currentKey));
  const invalid = current && tree && !findNode(tree, currentKey!) ? current : undefined;

  const toggle = (key: string, open?: boolean) =>
    setExpanded((e) => {
      const next = new Set(e ?? []);
      if (open ?? !next.has(key)) next.add(key);
      else next.delete(key);
      return next;
    });

  const apply = async (row: SourceRow) => {
    setActive(row.key);
    if (!target) return;
    const ok = await onApply(row.node);
    if (ok) setStatus(`${target.path.slice(1).join('.')} ← ${describeSource({ from: row.node.from, path: row.node.path, meta: row.node.meta })}`);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const row = activeIndex >= 0 ? rows[activeIndex] : undefined;
    const go = (i: number) => {
      const r = rows[Math.max(0, Math.min(rows.length - 1, i))];
      if (r) setActive(r.key);
    };
    let handled = true;
    switch (e.key) {
      case 'ArrowDown':
        go(activeIndex + 1);
        break;
      case 'ArrowUp':
        go(activeIndex < 0 ? 0 : activeIndex - 1);
        break;
      case 'Home':
        go(0);
        break;
      case 'End':
        go(rows.length - 1);
        break;
      case 'ArrowRight':
        if (row?.hasChildren && !row.expanded) toggle(row.key, true);
        else go(activeIndex + 1);
        break;
      case 'ArrowLeft':
        if (row?.expanded) toggle(row.key, false);
        else if (row?.parentKey) setActive(row.parentKey);
        break;
      case 'Enter':
      case ' ':
        if (row) void apply(row);
        break;
      default:
        handled = false;
    }
    if (handled) {
      e.preventDefault();
      e.stopPropagation();
    }
  };

  useEffect(() => {
    if (activeIndex >= 0) document.getElementById(`sp-row-${activeIndex}`)?.scrollIntoView({ block: 'nearest' });
  }, [activeIndex]);

  return (
    <div className="sp" aria-label="Source picker" role="region">
      <div className="sp-header">
        <StepIcon icon={kindIcon} />
        <strong>{step.id}</strong>
        <span className="dim">{kindTitle}</span>
        {properties.length > 0 || target ? (
          <label className="sp-property">
            <span>Property</span>
            <select
              aria-label="Property to set"
              value={target ? target.path.join('\u0001') : ''}
              onChange={(e) => {
                onChooseProperty(e.target.value.split('\u0001'));
                setStatus(null);
              }}
            >
              {properties.map((p) => (
                <option key={p.path.join('\u0001')} value={p.path.join('\u0001')}>
                  {p.label}
                </option>
              ))}
              {target && !properties.some((p) => samePath(p.path, target.path)) ? <option value={target.path.join('\u0001')}>{target.path.slice(1).join('.')}</option> : null}
            </select>
          </label>
        ) : null}
        {target ? (
          <span className="sp-current" aria-live="polite">
            {current ? (
              <>
                = <code>{describeSource(current)}</code>
              </>
            ) : (
              <span className="dim">not a source: click a field</span>
            )}
          </span>
        ) : null}
        <input type="search" className="sp-filter" placeholder="Filter" aria-label="Filter sources" value={filter} spellCheck={false} onChange={(e) => setFilter(e.target.value)} />
      </div>
      {!target ? <p className="sp-note">{step.id} has no property that takes a source.</p> : null}
      {invalid ? (
        <p className="sp-invalid" role="alert">
          <Icon name="warning" /> The source <code>{describeSource(invalid)}</code> is not in scope here: its step does not run before {step.id}, or the path does not exist in its output schema. Pick another field.
        </p>
      ) : null}
      {problems.length > 0 ? (
        <ul className="sp-problems" aria-label="Problems of this step">
          {problems.map((p, i) => (
            <li key={i}>
              <Icon name="warning" /> {p}
            </li>
          ))}
        </ul>
      ) : null}
      {error ? (
        <p className="sp-invalid" role="alert">
          Sources could not be listed: {error}
        </p>
      ) : null}
      {status ? (
        <p className="sp-status" role="status">
          Set {status}
        </p>
      ) : null}
      {tree === null ? (
        <p className="sp-note">{loading ? 'Loading the sources in scope…' : ''}</p>
      ) : (
        <div
          ref={treeRef}
          className="sp-tree"
          role="tree"
          aria-label={`Sources in scope for ${step.id}`}
          tabIndex={0}
          aria-activedescendant={activeIndex >= 0 ? `sp-row-${activeIndex}` : undefined}
          onKeyDown={onKeyDown}
        >
          {rows.map((row, i) => {
            const n = row.node;
            const isCurrent = row.key === currentKey;
            const icon = row.level === 1 ? (n.from === 'variables' ? undefined : stepKinds(n.from)) : undefined;
            const sample = sampleText(n.sample);
            return (
              <div
                key={row.key}
                id={`sp-row-${i}`}
                role="treeitem"
                aria-level={row.level}
                aria-posinset={row.posinset}
                aria-setsize={row.setsize}
                aria-expanded={row.hasChildren ? row.expanded : undefined}
                aria-selected={isCurrent}
                aria-label={`${n.label}, ${n.type}${sample ? `, sample ${sample}` : ''}`}
                className={`sp-row${isCurrent ? ' current' : ''}${i === activeIndex ? ' active' : ''}${n.meta ? ' meta' : ''}`}
                style={{ paddingLeft: 4 + (row.level - 1) * 16 }}
                title={`{ from: ${n.from}, path: ${n.path}${n.meta ? ', meta: true' : ''} } — click to set ${target ? target.path.slice(1).join('.') : 'the property'}`}
                onClick={() => {
                  treeRef.current?.focus();
                  void apply(row);
                }}
              >
                <span
                  className="twisty"
                  onClick={(e) => {
                    if (!row.hasChildren) return;
                    e.stopPropagation();
                    toggle(row.key);
                  }}
                >
                  {row.hasChildren ? <Icon name={row.expanded ? 'chevronDown' : 'chevronRight'} /> : null}
                </span>
                {row.level === 1 ? n.from === 'variables' ? <Icon name="variable" className="kind-icon-variable" /> : <StepIcon icon={icon} /> : null}
                <span className="sp-label">{n.label}</span>
                <span className={`sp-type type-${n.type.split('|')[0]}`}>{n.type}</span>
                {sample ? <span className="sp-sample">{sample}</span> : null}
                {isCurrent ? <span className="sp-check" aria-hidden="true">✓</span> : null}
              </div>
            );
          })}
          {rows.length === 0 ? <p className="sp-note">{filter ? `Nothing matches “${filter}”.` : 'No source in scope: this is the first step and the sequence has no variables.'}</p> : null}
        </div>
      )}
      <p className="sp-hint" title="After executing a transaction, “Update schema from current connector data” (its context menu in Projects) stores its output schema: its fields then show here. Samples come from the last run of the sequence.">
        Fields come from stored schemas (a transaction’s context menu › Update schema from current connector data); samples from the last run.
      </p>
    </div>
  );
}
