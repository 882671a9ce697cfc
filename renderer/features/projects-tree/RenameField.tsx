import { useEffect, useRef, useState } from 'react';
import type { Studio } from '../../state/studio.js';
import type { TreeRow } from './tree-model.js';

/** The inline rename box of a tree row (F2): Enter commits, Escape cancels, an invalid name keeps it open. */
export function RenameField(props: { row: TreeRow; studio: Studio }) {
  const { row, studio } = props;
  const [value, setValue] = useState(row.label);
  const [error, setError] = useState<string | null>(null);
  const busy = useRef(false);
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    inputRef.current?.focus();
    inputRef.current?.select();
  }, []);
  const commit = async () => {
    if (busy.current) return;
    busy.current = true;
    const message = await studio.rename(row.project, row.ref, value.trim());
    busy.current = false;
    setError(message);
    if (message) inputRef.current?.focus();
  };
  return (
    <span className="rename">
      <input
        ref={inputRef}
        className={`rename-input${error ? ' invalid' : ''}`}
        aria-label={`New name for ${row.label}`}
        aria-invalid={error ? true : undefined}
        value={value}
        spellCheck={false}
        onChange={(e) => setValue(e.target.value)}
        onClick={(e) => e.stopPropagation()}
        onDoubleClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          e.stopPropagation();
          if (e.key === 'Enter') {
            e.preventDefault();
            void commit();
          } else if (e.key === 'Escape') {
            e.preventDefault();
            studio.cancelRename();
            studio.focusTree();
          }
        }}
        onBlur={() => {
          if (!busy.current && !error) {
            if (value.trim() && value.trim() !== row.label) void commit();
            else studio.cancelRename();
          }
        }}
      />
      {error ? (
        <span className="rename-error" role="alert">
          {error}
        </span>
      ) : null}
    </span>
  );
}
