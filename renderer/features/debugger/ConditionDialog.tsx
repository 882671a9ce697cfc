import { useId, useState } from 'react';
import type { JSX } from 'react';
import { Modal } from '../shell/Modal.js';
import { useDebugger, useDebugState } from './use-debug.js';

/** Edit condition…: a JavaScript expression in the step's scope; empty makes a plain breakpoint. */
export function ConditionDialog(): JSX.Element | null {
  const dbg = useDebugger();
  const edit = useDebugState((s) => s.conditionEdit);
  if (!edit) return null;
  return <ConditionForm key={`${edit.project}\u0001${edit.sequence}\u0001${edit.step}`} {...edit} initial={dbg.breakpointAt(edit.project, edit.sequence, edit.step)?.condition ?? ''} />;
}

function ConditionForm(props: { project: string; sequence: string; step: string; initial: string }): JSX.Element {
  const dbg = useDebugger();
  const [text, setText] = useState(props.initial);
  const helpId = useId();
  const save = () => {
    dbg.setCondition(props.project, props.sequence, props.step, text);
    dbg.endConditionEdit();
  };
  return (
    <Modal
      title={`Breakpoint condition — ${props.step}`}
      onCancel={() => dbg.endConditionEdit()}
      onEnter={save}
      className="modal-small debug-condition-dialog"
      describedBy={helpId}
      footer={
        <>
          <button type="button" onClick={() => dbg.endConditionEdit()}>
            Cancel
          </button>
          <button type="button" className="primary" onClick={save}>
            Save
          </button>
        </>
      }
    >
      <div className="field">
        <label htmlFor={`${helpId}-input`}>Pause when</label>
        <div className="field-control">
          <input
            id={`${helpId}-input`}
            data-autofocus
            className="debug-condition-input"
            spellCheck={false}
            value={text}
            placeholder="e.g. index === 3 || steps.product.price > 100"
            onChange={(e) => setText(e.target.value)}
          />
        </div>
      </div>
      <p id={helpId} className="dim">
        A JavaScript expression evaluated before the step runs, with its variables, <code>steps.&lt;id&gt;</code> outputs and, inside an Iterate, <code>item</code> and{' '}
        <code>index</code> in scope. The run pauses when it is true; a condition that fails pauses too and shows the error. Leave it empty for a plain breakpoint.
      </p>
    </Modal>
  );
}
