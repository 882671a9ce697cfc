import { useState } from 'react';
import type { JSX } from 'react';
import type { Sequence } from '../../../src/model/index.js';
import { NAME_PATTERN } from '../../../src/model/index.js';
import { Icon } from '../../icons/icons.js';
import type { Studio } from '../../state/studio.js';

/**
 * The sequence's variables on the canvas bar: one chip each (select it to edit its type, default and
 * flags in Properties; Delete removes it), and "+ Variable" to declare one. Calls dropped with Ctrl map
 * the callee's variables of the same names to them.
 */
export function VariablesStrip({ studio, project, sequence, selected }: { studio: Studio; project: string; sequence: Sequence; selected: string | null }): JSX.Element {
  const [adding, setAdding] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const variables = sequence.variables ?? [];
  const create = async () => {
    const name = (adding ?? '').trim();
    if (!NAME_PATTERN.test(name)) {
      setError('a name starts with a letter or _ and holds only letters, digits, _ . -');
      return;
    }
    try {
      const result = await studio.api['object.create']({ project, parent: { type: 'sequence', sequence: sequence.name }, objectType: 'sequenceVariable', value: { name, type: 'string' } });
      studio.applyState(result.state);
      setAdding(null);
      setError(null);
      studio.select(project, result.ref);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <div className="seq-vars" role="group" aria-label="Sequence variables">
      {variables.map((v) => (
        <button
          key={v.name}
          type="button"
          className={`seq-var-chip${selected === v.name ? ' selected' : ''}`}
          aria-pressed={selected === v.name}
          title={`${v.name}: ${v.type ?? 'string'}${v.required ? ', required' : ''}${v.default !== undefined ? `, default ${JSON.stringify(v.default)}` : ''} — edit it in Properties`}
          onClick={() => studio.select(project, { type: 'sequenceVariable', sequence: sequence.name, variable: v.name })}
        >
          {v.name}
          <span className="seq-var-type">{v.type ?? 'string'}</span>
        </button>
      ))}
      {adding === null ? (
        <button type="button" className="seq-var-add" onClick={() => setAdding('')} title="Declare a variable of this sequence">
          <Icon name="plus" /> Variable
        </button>
      ) : (
        <span className="seq-var-new">
          <input
            autoFocus
            aria-label="New variable name"
            aria-invalid={error ? true : undefined}
            placeholder="name"
            value={adding}
            spellCheck={false}
            onChange={(e) => {
              setAdding(e.target.value);
              setError(null);
            }}
            onKeyDown={(e) => {
              e.stopPropagation();
              if (e.key === 'Enter') void create();
              else if (e.key === 'Escape') {
                setAdding(null);
                setError(null);
              }
            }}
            onBlur={() => {
              if (!adding?.trim()) setAdding(null);
            }}
          />
          {error ? (
            <span className="seq-var-error" role="alert">
              {error}
            </span>
          ) : null}
        </span>
      )}
    </div>
  );
}
