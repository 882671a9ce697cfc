import { useState } from 'react';
import type { JSX, ReactNode } from 'react';
import type { DebugSnapshotDto } from '../../../src/contract/index.js';
import { useStudio } from '../../state/context.js';
import { JsonTree, matches } from './JsonTree.js';
import { useDebugState } from './use-debug.js';

const REASONS: Record<DebugSnapshotDto['reason'], string> = {
  breakpoint: 'breakpoint',
  step: 'step',
  'condition-error': 'the breakpoint condition failed',
};

function Section({ title, count, children, empty }: { title: string; count?: number; children: ReactNode; empty?: string }): JSX.Element {
  const [open, setOpen] = useState(true);
  const id = `dbg-section-${title.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <section className="dbg-section" aria-labelledby={id}>
      <h3 className="dbg-section-title">
        <button type="button" id={id} aria-expanded={open} onClick={() => setOpen(!open)}>
          <span aria-hidden="true">{open ? '▾' : '▸'}</span> {title}
          {count !== undefined ? <span className="count-badge">{count}</span> : null}
        </button>
      </h3>
      {open ? (count === 0 && empty ? <p className="dbg-empty">{empty}</p> : children) : null}
    </section>
  );
}

function Tree({ label, entries, query }: { label: string; entries: Array<[string, unknown]>; query: string }): JSX.Element {
  return (
    <ul role="tree" aria-label={label} className="dbg-tree">
      {entries.map(([k, v]) => (
        <JsonTree key={k} label={k} value={v} query={query} />
      ))}
    </ul>
  );
}

/**
 * What a paused debug run shows, read-only: where it is and why, the call stack, the current pass of the
 * enclosing iterates, the variables, every earlier step's output and the session, with one search box
 * that filters them all (keys and values).
 */
export function DebugInspector({ project }: { project: string }): JSX.Element | null {
  const studio = useStudio();
  const session = useDebugState((s) => (s.session?.project === project ? s.session : null));
  const [search, setSearch] = useState('');
  if (!session) return null;
  const snap = session.paused;
  const query = search.trim().toLowerCase();
  if (!snap)
    return (
      <div className="dbg-inspector" aria-label="Debug inspector" role="region">
        <p className="dbg-empty">Running {session.sequence}… the inspector fills in at the next pause (breakpoints, or Step commands).</p>
      </div>
    );
  const filter = (entries: Array<[string, unknown]>) => entries.filter(([k, v]) => matches(v, query, k));
  const variables = filter(Object.entries(snap.variables));
  const outputs = filter(snap.outputs.map((o) => [o.step, o.output] as [string, unknown]));
  const loops = filter(snap.loops.map((l) => [l.step, { item: l.item, index: l.index }] as [string, unknown]));
  const session_ = snap.session === undefined ? [] : filter(Object.entries({ session: snap.session }));
  return (
    <div className="dbg-inspector" aria-label="Debug inspector" role="region">
      <div className={`dbg-where reason-${snap.reason}`}>
        <div>
          Paused before <strong>{snap.step.id}</strong> <span className="dim">({snap.step.title})</span> in <strong>{snap.sequence}</strong>
        </div>
        <div className="dim">
          on {REASONS[snap.reason]}
          {snap.condition ? (
            <>
              {' '}
              · when <code>{snap.condition}</code>
            </>
          ) : null}
        </div>
        {snap.conditionError ? (
          <div className="dbg-condition-error" role="alert">
            {snap.conditionError}
          </div>
        ) : null}
      </div>
      <input type="search" className="dbg-search" placeholder="Search variables and outputs" aria-label="Search variables and outputs" value={search} onChange={(e) => setSearch(e.target.value)} />
      {snap.truncated ? <p className="dbg-note">Large values are cut: look for “[truncated …]”.</p> : null}
      <div className="dbg-sections">
        <Section title="Call stack" count={snap.callStack.length}>
          <ol className="dbg-stack" aria-label="Call stack">
            {[...snap.callStack].reverse().map((f, i) => (
              <li key={`${f.sequence}:${f.step}:${i}`}>
                <button type="button" className="dbg-frame" onClick={() => studio.select(project, { type: 'step', sequence: f.sequence, step: f.step.split('/').pop()! }, { reveal: true })}>
                  <strong>{f.sequence}</strong> › {f.step}
                </button>
              </li>
            ))}
          </ol>
        </Section>
        {snap.loops.length ? (
          <Section title="Iterate" count={loops.length}>
            <Tree label="Enclosing loops" entries={loops} query={query} />
          </Section>
        ) : null}
        <Section title="Variables" count={variables.length} empty={query ? 'No variable matches.' : 'No variables.'}>
          <Tree label="Variables" entries={variables} query={query} />
        </Section>
        <Section title="Step outputs" count={outputs.length} empty={query ? 'No output matches.' : 'No step has run yet.'}>
          <Tree label="Step outputs" entries={outputs} query={query} />
        </Section>
        <Section title="Session" count={session_.length} empty={snap.session === undefined ? 'This execution has no session.' : 'Nothing matches.'}>
          <Tree label="Session" entries={session_} query={query} />
        </Section>
      </div>
    </div>
  );
}
