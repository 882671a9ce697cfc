export type UnsavedPolicy = 'save' | 'saved';

/**
 * With unsaved edits, the person decides what goes into the bundle: save first (the edits are in it), or the
 * version on disk (the edits stay unsaved and are not in it). Bundles are built from the files on disk.
 */
export function UnsavedChoice(props: { name: string; value: UnsavedPolicy; onChange: (v: UnsavedPolicy) => void; verb: string }) {
  return (
    <fieldset className="bundle-unsaved" aria-label="Unsaved edits">
      <legend>
        <strong>{props.name}</strong> has unsaved edits. What should the bundle hold?
      </legend>
      <label className="radio">
        <input type="radio" name="unsaved" checked={props.value === 'save'} onChange={() => props.onChange('save')} />
        Save the project first, then {props.verb} (the bundle includes your edits)
      </label>
      <label className="radio">
        <input type="radio" name="unsaved" checked={props.value === 'saved'} onChange={() => props.onChange('saved')} />
        {props.verb.charAt(0).toUpperCase() + props.verb.slice(1)} the version saved on disk (your edits stay unsaved and are not in the bundle)
      </label>
    </fieldset>
  );
}
