import { useMemo, useRef, useState } from 'react';
import type { ObjectRef } from '../../../src/contract/index.js';
import { Icon, kindIcon } from '../../icons/icons.js';
import { useStudio, useStudioState } from '../../state/context.js';
import { projectOf } from '../../state/model.js';
import { Modal } from './Modal.js';

interface Item {
  key: string;
  project: string;
  ref: ObjectRef;
  name: string;
  where: string;
}

const LIMIT = 200;

/** Ctrl+P: every object of the open projects, filtered as you type; Enter selects it in the tree. */
export function QuickOpen() {
  const studio = useStudio();
  const order = useStudioState((s) => s.order);
  const projects = useStudioState((s) => s.projects);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const listRef = useRef<HTMLUListElement>(null);

  const all = useMemo(() => {
    const items: Item[] = [];
    for (const dir of order) {
      const state = projects[dir];
      if (!state) continue;
      const p = projectOf(state);
      items.push({ key: `${dir}|p`, project: dir, ref: { type: 'project' }, name: p.name, where: dir });
      for (const c of p.connectors) {
        items.push({ key: `${dir}|c|${c.name}`, project: dir, ref: { type: 'connector', connector: c.name }, name: c.name, where: `${p.name} › connectors` });
        for (const t of c.transactions ?? []) {
          items.push({ key: `${dir}|t|${c.name}|${t.name}`, project: dir, ref: { type: 'transaction', connector: c.name, transaction: t.name }, name: t.name, where: `${p.name} › ${c.name}` });
          for (const v of t.variables ?? [])
            items.push({ key: `${dir}|v|${c.name}|${t.name}|${v.name}`, project: dir, ref: { type: 'variable', connector: c.name, transaction: t.name, variable: v.name }, name: v.name, where: `${p.name} › ${c.name} › ${t.name}` });
        }
      }
      for (const s of p.sequences) items.push({ key: `${dir}|s|${s.name}`, project: dir, ref: { type: 'sequence', sequence: s.name }, name: s.name, where: `${p.name} › sequences` });
    }
    return items;
  }, [order, projects]);

  const matches = useMemo(() => {
    const q = query.trim().toLowerCase();
    if (!q) return all.slice(0, LIMIT);
    const scored: { item: Item; score: number }[] = [];
    for (const item of all) {
      const name = item.name.toLowerCase();
      const index = name.indexOf(q);
      if (index >= 0) scored.push({ item, score: index === 0 ? 0 : 1 });
      else if (`${item.where} ${item.name}`.toLowerCase().includes(q)) scored.push({ item, score: 2 });
    }
    scored.sort((a, b) => a.score - b.score || a.item.name.length - b.item.name.length);
    return scored.slice(0, LIMIT).map((s) => s.item);
  }, [all, query]);

  const choose = (item: Item | undefined) => {
    if (!item) return;
    studio.closeDialog();
    studio.select(item.project, item.ref, { reveal: true, focusTree: true });
  };

  const move = (index: number) => {
    const i = Math.max(0, Math.min(matches.length - 1, index));
    setActive(i);
    listRef.current?.querySelectorAll('li')[i]?.scrollIntoView({ block: 'nearest' });
  };

  return (
    <Modal title="Quick Open" onCancel={() => studio.closeDialog()} onEnter={() => choose(matches[active])} className="quick-open">
      <div className="quick-open-input">
        <Icon name="search" />
        <input
          role="combobox"
          aria-expanded="true"
          aria-controls="quick-open-list"
          aria-activedescendant={matches[active] ? `qo-${active}` : undefined}
          aria-autocomplete="list"
          aria-label="Object name"
          placeholder="Type a name: transaction, connector, variable, sequence"
          data-autofocus
          value={query}
          spellCheck={false}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') move(active + 1);
            else if (e.key === 'ArrowUp') move(active - 1);
            else if (e.key === 'PageDown') move(active + 10);
            else if (e.key === 'PageUp') move(active - 10);
            else return;
            e.preventDefault();
          }}
        />
      </div>
      <ul ref={listRef} id="quick-open-list" role="listbox" aria-label="Objects" className="quick-open-list">
        {matches.length === 0 ? (
          <li className="empty-state" role="presentation">
            No object matches “{query}”.
          </li>
        ) : null}
        {matches.map((item, i) => (
          <li key={item.key} id={`qo-${i}`} role="option" aria-selected={i === active} className={i === active ? 'selected' : undefined} onMouseMove={() => i !== active && setActive(i)} onClick={() => choose(item)}>
            <Icon name={kindIcon(item.ref.type)} className={`kind-icon-${item.ref.type}`} />
            <span className="qo-name">{item.name}</span>
            <span className="qo-where">{item.where}</span>
          </li>
        ))}
      </ul>
    </Modal>
  );
}
