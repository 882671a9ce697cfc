import { useState } from 'react';
import type { JSX } from 'react';

/** Whether a value, or a key on the way to it, contains the search text (case-insensitive). */
export function matches(value: unknown, query: string, key = ''): boolean {
  if (!query) return true;
  if (key.toLowerCase().includes(query)) return true;
  if (value === null || typeof value !== 'object') return String(value).toLowerCase().includes(query);
  return Object.entries(value as Record<string, unknown>).some(([k, v]) => matches(v, query, k));
}

function preview(value: unknown): string {
  if (Array.isArray(value)) return `[${value.length}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    return `{${keys.slice(0, 4).join(', ')}${keys.length > 4 ? ', …' : ''}}`;
  }
  return scalar(value);
}

function scalar(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : value === undefined ? 'undefined' : String(value);
}

const isTruncated = (value: unknown) => typeof value === 'string' && /\[truncated[:\]]/.test(value);

/**
 * One read-only value as an expandable tree (role=tree): arrows and Enter on the rows, like the Projects
 * tree. With a search text, only the branches that contain it show, opened.
 */
export function JsonTree({ label, value, query, depth = 0, defaultOpen = false }: { label: string; value: unknown; query: string; depth?: number; defaultOpen?: boolean }): JSX.Element | null {
  const [open, setOpen] = useState(defaultOpen);
  if (query && !matches(value, query, label)) return null;
  const composite = value !== null && typeof value === 'object';
  const expanded = composite && (open || (!!query && !label.toLowerCase().includes(query)));
  const entries = composite ? Object.entries(value as Record<string, unknown>) : [];
  // a key that matches shows its whole value; otherwise only the matching children
  const childQuery = query && label.toLowerCase().includes(query) ? '' : query;
  return (
    <li role="treeitem" aria-expanded={composite ? expanded : undefined} aria-level={depth + 1} className="dbg-node">
      <div
        className={`dbg-row${composite ? ' composite' : ''}`}
        style={{ paddingLeft: 6 + depth * 14 }}
        tabIndex={0}
        onClick={() => composite && setOpen(!expanded)}
        onKeyDown={(e) => {
          if (!composite) return;
          if (e.key === 'ArrowRight' || e.key === 'Enter') setOpen(true);
          else if (e.key === 'ArrowLeft') setOpen(false);
          else return;
          e.preventDefault();
        }}
      >
        <span className="dbg-twisty" aria-hidden="true">
          {composite ? (expanded ? '▾' : '▸') : ''}
        </span>
        <span className="dbg-key">{label}</span>
        <span className={`dbg-value type-${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value}${isTruncated(value) ? ' truncated' : ''}`}>{composite ? preview(value) : scalar(value)}</span>
      </div>
      {expanded ? (
        <ul role="group" className="dbg-children">
          {entries.map(([k, v]) => (
            <JsonTree key={k} label={k} value={v} query={childQuery} depth={depth + 1} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}
