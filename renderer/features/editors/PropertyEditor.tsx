import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { JSX } from 'react';
import type { ObjectRef, ProjectState, StepKindInfo, StudioApi } from '../../../src/contract/index.js';
import type { Project, Step } from '../../../src/model/index.js';
import { refPath } from '../../../src/contract/index.js';
import { NameField } from './NameField.js';
import { registerFlusher } from './pending-edits.js';
import { buildUpdateValue, editorSpec, findObject, refKey, toDraft, validateName } from './property-model.js';
import type { EditorSection, EditorSpec, PlainObject } from './property-model.js';
import { assignIssues, issuesFromDetails } from './schema-form/issues.js';
import type { Issue } from './schema-form/issues.js';
import { buildFieldModel, collectFieldPaths, getAt, jsonEqual, pathKey, setAt } from './schema-form/schema.js';
import type { Path } from './schema-form/schema.js';
import { SchemaForm } from './schema-form/SchemaForm.js';
import { StepPropsForm } from './step-props/StepPropsForm.js';
import type { StepEditContext } from './step-props/StepPropsForm.js';
import type { KindsList } from './types.js';
import '../../styles/panels.css';

export type { KindsList } from './types.js';

export interface PropertyEditorProps {
  api: StudioApi;
  state: ProjectState;
  selection: ObjectRef | null;
  kinds: KindsList;
  /** told the new ref after a rename done here, so the tree can follow (optional) */
  onSelect?: (ref: ObjectRef) => void;
  /** step kinds (steps.list): a step's props are drawn from its kind's schema */
  stepKinds?: readonly StepKindInfo[] | null;
  /** "Pick…" beside a step property: the source picker will set `path` (inside the step) */
  onPickSource?: (ref: Extract<ObjectRef, { type: 'step' }>, path: string[]) => void;
  /** the step property the source picker writes to now (marked in the form) */
  picking?: { ref: ObjectRef; path: readonly string[] } | null;
}

/** How long typing pauses before an edit is sent. */
export const COMMIT_DELAY_MS = 300;

export { flushPropertyEdits } from './pending-edits.js';

interface EngineError {
  code: string;
  message: string;
  issues: Issue[];
  /** the draft that was refused: a field's message shows while the field still holds that value */
  draft: PlainObject;
}

function errorInfo(e: unknown): { code: string; message: string; details?: unknown } {
  if (typeof e === 'object' && e !== null) {
    const err = e as { code?: unknown; message?: unknown; details?: unknown };
    return {
      code: typeof err.code === 'string' ? err.code : 'ERROR',
      message: typeof err.message === 'string' ? err.message : String(e),
      details: err.details,
    };
  }
  return { code: 'ERROR', message: String(e) };
}

/**
 * The Properties view: every property of the selected object, drawn from the JSON Schema of its kind,
 * validated as you type, sent with object.update (after a pause or on blur) and renamed with
 * object.rename (Enter or blur). What the user typed is never replaced by a refusal.
 */
export function PropertyEditor({ api, state, selection, kinds, onSelect, stepKinds, onPickSource, picking }: PropertyEditorProps): JSX.Element {
  const project = state.project.dir;
  const selKey = refKey(selection);
  const [current, setCurrent] = useState({ sel: selKey, project, ref: selection, gen: 0 });
  let view = current;
  if (current.sel !== selKey || current.project !== project) {
    // A selection that is the ref we just renamed to keeps the same editor (and its draft).
    const followsRename = current.project === project && selection !== null && refKey(current.ref) === selKey;
    view = { sel: selKey, project, ref: selection, gen: followsRename ? current.gen : current.gen + 1 };
    setCurrent(view);
  }
  const handleRenamed = useCallback(
    (ref: ObjectRef) => {
      setCurrent((c) => ({ ...c, ref }));
      onSelect?.(ref);
    },
    [onSelect],
  );

  if (!view.ref) {
    return (
      <div className="pe pe-empty">
        <p>Select an object in the Projects tree to see and edit its properties.</p>
      </div>
    );
  }
  return (
    <ObjectEditor
      key={`${project}#${view.gen}`}
      api={api}
      state={state}
      objectRef={view.ref}
      kinds={kinds}
      onRenamed={handleRenamed}
      stepKinds={stepKinds}
      onPickSource={onPickSource}
      picking={picking && refKey(picking.ref) === refKey(view.ref) ? picking.path : null}
    />
  );
}

interface ObjectEditorProps {
  api: StudioApi;
  state: ProjectState;
  objectRef: ObjectRef;
  kinds: KindsList;
  onRenamed(ref: ObjectRef): void;
  stepKinds?: readonly StepKindInfo[] | null;
  onPickSource?: PropertyEditorProps['onPickSource'];
  picking?: readonly string[] | null;
}

function ObjectEditor({ api, state, objectRef, kinds, onRenamed, stepKinds, onPickSource, picking }: ObjectEditorProps): JSX.Element {
  const project = state.project.dir;
  const found = findObject(state.project, objectRef);
  // Right after a rename the state may still hold the old name: keep showing the object meanwhile.
  const lastFound = useRef(found);
  const awaitingRename = useRef(false);
  if (found) {
    lastFound.current = found;
    awaitingRename.current = false;
  }
  const object = found ?? (awaitingRename.current ? lastFound.current : undefined);

  const baseJson = useMemo(() => (object ? JSON.stringify(toDraft(objectRef, object)) : 'null'), [object, objectRef]);
  const [draft, setDraftState] = useState<PlainObject>(() => (object ? toDraft(objectRef, object) : {}));
  const [engineError, setEngineErrorState] = useState<EngineError | null>(null);
  const [saving, setSaving] = useState(false);

  const draftRef = useRef(draft);
  const errorRef = useRef(engineError);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const inflight = useRef(new Set<Promise<unknown>>());
  const seq = useRef(0);

  const spec = useMemo(() => editorSpec(objectRef, draft, kinds, state.project, stepKinds), [objectRef, draft, kinds, state.project, stepKinds]);
  const latest = useRef({ api, project, objectRef, state, spec });
  latest.current = { api, project, objectRef, state, spec };

  const setDraft = (next: PlainObject) => {
    draftRef.current = next;
    setDraftState(next);
  };
  const setEngineError = (e: EngineError | null) => {
    errorRef.current = e;
    setEngineErrorState(e);
  };

  // The object changed in the engine (our own edit, undo, a reload from disk): show it, unless the
  // user is in the middle of an edit or looking at a refused one.
  const lastBase = useRef(baseJson);
  useEffect(() => {
    if (baseJson === lastBase.current) return;
    lastBase.current = baseJson;
    if (timer.current || inflight.current.size > 0 || errorRef.current || baseJson === 'null') return;
    const next = JSON.parse(baseJson) as PlainObject;
    if (!jsonEqual(next, draftRef.current)) setDraft(next);
  }, [baseJson]);

  const commit = useCallback((): Promise<void> => {
    if (timer.current) {
      clearTimeout(timer.current);
      timer.current = null;
    }
    const { api, project, objectRef, state, spec } = latest.current;
    const obj = findObject(state.project, objectRef) ?? (awaitingRename.current ? lastFound.current : undefined);
    if (!obj) return Promise.resolve();
    const currentDraft = toDraft(objectRef, obj);
    const sent = draftRef.current;
    const value = buildUpdateValue(spec, objectRef, currentDraft, sent);
    const n = ++seq.current;
    if (jsonEqual(value, buildUpdateValue(spec, objectRef, currentDraft, currentDraft))) {
      if (errorRef.current && inflight.current.size === 0) setEngineError(null);
      return Promise.resolve();
    }
    setSaving(true);
    const call = api['object.update']({ project, ref: objectRef, value }).then(
      (result) => {
        if (n !== seq.current) return;
        setEngineError(null);
        // Show what the engine stored (defaults, normalization) unless the user typed on meanwhile.
        const saved = findObject(result.project, objectRef);
        if (saved && !timer.current) {
          const savedDraft = toDraft(objectRef, saved);
          lastBase.current = JSON.stringify(savedDraft);
          if (!jsonEqual(savedDraft, draftRef.current) && jsonEqual(sent, draftRef.current)) setDraft(savedDraft);
        }
      },
      (e: unknown) => {
        if (n !== seq.current) return;
        const info = errorInfo(e);
        setEngineError({ code: info.code, message: info.message, issues: issuesFromDetails(info.details), draft: sent });
      },
    );
    inflight.current.add(call);
    return call.finally(() => {
      inflight.current.delete(call);
      if (inflight.current.size === 0) setSaving(false);
    });
  }, []);

  const flush = useCallback(async (): Promise<void> => {
    if (timer.current) await commit();
    await Promise.all([...inflight.current]);
  }, [commit]);

  useEffect(() => {
    const unregister = registerFlusher(flush);
    return () => {
      unregister();
      // leaving the object (selection change, unmount): send what is pending
      if (timer.current) void commit();
    };
  }, [flush, commit]);

  const onChange = (next: PlainObject) => {
    setDraft(next);
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      timer.current = null;
      void commit();
    }, COMMIT_DELAY_MS);
  };

  const onBlur = () => {
    if (timer.current) void commit();
  };

  // Save (Ctrl+S) and Execute (F5) pressed while typing: send the edit first, before the shell acts.
  const onKeyDownCapture = (e: { key: string; ctrlKey: boolean; metaKey: boolean }) => {
    const save = (e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's';
    if ((save || e.key === 'F5') && timer.current) void commit();
  };

  const rename = useCallback(
    async (name: string): Promise<string | undefined> => {
      await flush();
      const { api, project, objectRef } = latest.current;
      try {
        const result = await api['object.rename']({ project, ref: objectRef, name });
        awaitingRename.current = true;
        onRenamed(result.ref);
        return undefined;
      } catch (e) {
        return errorInfo(e).message;
      }
    },
    [flush, onRenamed],
  );

  // Engine issues matched to the fields drawn; the rest go above the form.
  const assigned = useMemo(() => {
    if (!engineError) return null;
    const drawn = new Set<string>();
    for (const section of spec.sections) {
      if (section.path.length > 0) drawn.add(pathKey(section.path));
      const model = buildFieldModel(section.schema, { omit: section.omit, asObject: true });
      collectFieldPaths(model, getAt(draft, section.path), section.path, drawn);
    }
    return assignIssues(engineError.issues, drawn, spec.sections.map((s) => s.path));
  }, [engineError, spec, draft]);

  const errorAt = useCallback(
    (path: Path, value: unknown): string | undefined => {
      if (!engineError || !assigned) return undefined;
      const message = assigned.byPath.get(pathKey(path));
      if (message === undefined) return undefined;
      return jsonEqual(getAt(engineError.draft, path), value) ? message : undefined;
    },
    [engineError, assigned],
  );

  if (!object) {
    return (
      <div className="pe pe-empty">
        <p>{`${refPath(state.project.name, objectRef)} no longer exists.`}</p>
      </div>
    );
  }

  const idPrefix = `pe-${objectRef.type}`;
  const name = String(object[spec.nameKey] ?? '');
  const general = engineError && assigned ? (engineError.issues.length === 0 ? [{ path: [], message: engineError.message }] : assigned.general) : [];
  return (
    <div className="pe" onBlur={onBlur} onKeyDownCapture={onKeyDownCapture} data-object-type={objectRef.type}>
      <div className="pe-header">
        <span className="pe-type">{spec.typeTitle}</span>
        <span className="pe-path" title={refPath(state.project.name, objectRef)}>
          {refPath(state.project.name, objectRef)}
        </span>
        <span className="pe-status" role="status" aria-live="polite">
          {saving ? 'Saving…' : engineError ? 'Not applied' : ''}
        </span>
      </div>
      {spec.typeDescription && <p className="pe-description">{spec.typeDescription}</p>}
      {general.length > 0 && (
        <div className="pe-alert" role="alert">
          <strong>Not applied</strong> <code className="pe-code">{engineError?.code}</code>{' '}
          {general.length === 1 ? (
            <span>{formatIssue(general[0]!)}</span>
          ) : (
            <ul>
              {general.map((issue, i) => (
                <li key={i}>{formatIssue(issue)}</li>
              ))}
            </ul>
          )}
          <div className="pe-alert-note">Your text is kept in the fields; fix it and the edit is sent again.</div>
        </div>
      )}
      <div className="pe-form">
        <NameField id={`${idPrefix}-name`} label={spec.nameLabel} name={name} validate={(t) => validateName(objectRef, t)} onRename={rename} />
        {spec.info.map((row) => (
          <div className="sf-row" key={row.label}>
            <div className="sf-label-line">
              <label className="sf-label" htmlFor={`${idPrefix}-info-${row.label}`}>
                {row.label}
              </label>
            </div>
            <input id={`${idPrefix}-info-${row.label}`} className="sf-input" type="text" value={row.value} readOnly aria-readonly="true" />
          </div>
        ))}
        {spec.sections.map((section) =>
          section.custom === 'stepProps' && objectRef.type === 'step' ? (
            <StepPropsForm
              key={section.id}
              schema={section.schema}
              value={getAt(draft, section.path)}
              path={section.path}
              idPrefix={idPrefix}
              errorAt={errorAt}
              onChange={(v) => onChange(setAt(draft, section.path, v) as PlainObject)}
              context={{
                api,
                dir: project,
                project: state.project as unknown as Project,
                sequence: objectRef.sequence,
                step: draft as unknown as Step,
                onPick: onPickSource ? (path) => onPickSource(objectRef, path) : undefined,
                picking,
              } satisfies StepEditContext}
            />
          ) : (
            <Section key={section.id} section={section} spec={spec} draft={draft} idPrefix={idPrefix} errorAt={errorAt} onChange={onChange} />
          ),
        )}
      </div>
    </div>
  );
}

function formatIssue(issue: Issue): string {
  return issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message;
}

interface SectionProps {
  section: EditorSection;
  spec: EditorSpec;
  draft: PlainObject;
  idPrefix: string;
  errorAt(path: Path, value: unknown): string | undefined;
  onChange(next: PlainObject): void;
}

function Section({ section, draft, idPrefix, errorAt, onChange }: SectionProps): JSX.Element {
  const value = getAt(draft, section.path);
  const sectionError = section.path.length > 0 ? errorAt(section.path, value) : undefined;
  const form = (
    <SchemaForm
      schema={section.schema}
      value={value}
      path={section.path}
      omit={section.omit}
      idPrefix={idPrefix}
      label={section.title}
      errorAt={errorAt}
      onChange={(v) => onChange(setAt(draft, section.path, v) as PlainObject)}
    />
  );
  if (!section.title) return form;
  return (
    <section className="pe-section" aria-labelledby={`${idPrefix}-section-${section.id}`}>
      <h3 className="pe-section-title" id={`${idPrefix}-section-${section.id}`}>
        {section.title}
      </h3>
      {section.description && <p className="sf-help">{section.description}</p>}
      {sectionError && <div className="sf-error">{sectionError}</div>}
      {form}
    </section>
  );
}
