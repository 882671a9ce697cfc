import { StudioApiError } from '../../src/contract/index.js';
import type { EventPayload, ExecutionResult, ObjectRef, ProjectState, SourceNodeDto } from '../../src/contract/index.js';
import { uniqueName } from '../../src/model/index.js';
import { CONNECTION_EVENT } from '../api/client.js';
import type { ConnectionPayload, EventListener, StudioApi, StudioClient, StudioMode } from '../api/client.js';
import { ancestorKeys, folderKey, mappingsKey, refKey } from './keys.js';
import { findConnector, findSequence, findStep, parentRef, projectOf, refName, resolveRef, transactionRefOf } from './model.js';
import { loadPreference, savePreference } from './preferences.js';
import { Store } from './store.js';
import { TraceStore } from './trace.js';
import type { BottomTab, Notice, SourcePick, StudioState, Tab, Theme } from './studio-state.js';

export type { BottomTab, DialogState, Notice, RunState, Selection, SourcePick, StudioState, Tab, Theme } from './studio-state.js';


/** Connectors with more transactions than this start collapsed. */
const AUTO_EXPAND_LIMIT = 100;

function osTheme(): Theme {
  return typeof window.matchMedia === 'function' && window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function effectiveTheme(state: StudioState): Theme {
  return state.themeOverride ?? state.osTheme;
}

export function errorMessage(error: unknown): string {
  if (error instanceof StudioApiError) return error.path ? `${error.message} (${error.path})` : error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * The studio's state and every command the UI runs (toolbar, menus, keys, the tree). Components read
 * the store through hooks and call these methods; only this class and the panels call the API.
 */
export class Studio {
  readonly store: Store<StudioState>;
  readonly api: StudioApi;
  readonly onEvent: (listener: EventListener) => () => void;
  readonly mode: StudioMode;
  private readonly fetching = new Map<string, Promise<void>>();
  private readonly wanted = new Map<string, number>();
  private noticeSeq = 0;
  private readonly flushers = new Set<() => Promise<void>>();
  /** live traces of sequence executions, drawn on the canvas */
  readonly traces = new TraceStore();

  constructor(client: StudioClient) {
    this.api = client.api;
    this.onEvent = client.onEvent;
    this.mode = client.mode;
    this.store = new Store<StudioState>({
      ready: false,
      order: [],
      projects: {},
      selection: null,
      expanded: new Set(),
      kinds: null,
      home: '',
      osTheme: osTheme(),
      themeOverride: loadPreference<Theme | null>('theme', null),
      dialog: null,
      renaming: null,
      tabs: [],
      activeTab: null,
      bottomTab: 'response',
      run: { project: null, target: null, targetType: 'transaction', runRequest: 0, stopRequest: 0, running: false, last: null },
      connected: client.mode === 'desktop',
      notice: null,
      treeFocusRequest: 0,
      stepKinds: null,
      sourcePick: null,
      executed: new Set(),
      schemasVersion: 0,
    });
  }

  /**
   * Editors that send their edits after a pause register here: save and execute wait for them first,
   * so Ctrl+S and F5 see what was just typed.
   */
  addFlusher(flush: () => Promise<void>): () => void {
    this.flushers.add(flush);
    return () => this.flushers.delete(flush);
  }

  async flushEdits(): Promise<void> {
    await Promise.all([...this.flushers].map((f) => f().catch(() => {})));
  }

  get state(): StudioState {
    return this.store.getState();
  }

  /** Loads the workspace and listens to the engine; returns the disposer. */
  start(): () => void {
    const offEvents = this.onEvent((event, payload) => this.handleEvent(event, payload));
    const media = typeof window.matchMedia === 'function' ? window.matchMedia('(prefers-color-scheme: dark)') : null;
    const onMedia = () => this.store.set({ osTheme: osTheme() });
    media?.addEventListener('change', onMedia);
    void this.load();
    return () => {
      offEvents();
      media?.removeEventListener('change', onMedia);
    };
  }

  private async load(): Promise<void> {
    // step kinds load on their own: a failure there leaves the rest of the studio working
    this.api['steps.list']({}).then(
      (r) => this.store.set({ stepKinds: r.steps }),
      (e: unknown) => console.error('steps.list failed', e),
    );
    try {
      const [kinds, workspace] = await Promise.all([this.api['kinds.list']({}), this.api['workspace.get']({})]);
      this.store.set({ kinds, home: workspace.home });
      const states = await Promise.all(
        workspace.projects.map((p) => this.api['project.get']({ project: p.dir }).catch((e: unknown) => (this.fail(e, p.dir), null))),
      );
      for (const state of states) if (state) this.applyState(state);
      const first = this.state.order[0];
      if (first && !this.state.selection) this.select(first, { type: 'project' });
    } catch (e) {
      this.fail(e);
    } finally {
      this.store.set({ ready: true });
    }
  }

  private handleEvent(event: string, payload: unknown): void {
    if (event === CONNECTION_EVENT) {
      const p = payload as ConnectionPayload;
      this.store.set({ connected: p.connected });
      if (p.reconnected) void this.refreshAll();
      return;
    }
    if (event === 'project.changed') {
      const p = payload as EventPayload<'project.changed'>;
      if (p.reason === 'close') {
        this.removeProject(p.project);
        return;
      }
      if (p.conflict) this.notify('info', 'Files changed on disk while you had unsaved edits: your edits were kept. Save to overwrite, or undo them to see the disk version.', p.project);
      const known = this.state.projects[p.project];
      if (!known || p.version > known.version) void this.refetch(p.project, p.version);
      return;
    }
    if (event === 'run.event') {
      this.traces.event(payload);
      return;
    }
    if (event === 'studio.command') {
      const p = (payload ?? {}) as { command?: string; id?: string; name?: string };
      this.runCommand(p.command ?? p.id ?? p.name ?? '');
    }
  }

  /** Native menus (Electron) send their commands as events; unknown ones are ignored. */
  runCommand(command: string): void {
    const c = command.toLowerCase().replace(/[^a-z]/g, '');
    const table: Record<string, () => void> = {
      newproject: () => this.newProject(),
      projectnew: () => this.newProject(),
      newtransaction: () => this.newTransaction(),
      transactionnew: () => this.newTransaction(),
      open: () => this.openProject(),
      openproject: () => this.openProject(),
      projectopen: () => this.openProject(),
      save: () => void this.save(),
      projectsave: () => void this.save(),
      undo: () => void this.undo(),
      editundo: () => void this.undo(),
      projectundo: () => void this.undo(),
      redo: () => void this.redo(),
      editredo: () => void this.redo(),
      projectredo: () => void this.redo(),
      execute: () => this.execute(),
      runexecute: () => this.execute(),
      transactionexecute: () => this.execute(),
      stop: () => this.stop(),
      runstop: () => this.stop(),
      runcancel: () => this.stop(),
      quickopen: () => this.quickOpen(),
      importopenapi: () => this.importOpenApi(),
      importwsdl: () => this.importWsdl(),
      exportbundle: () => this.exportBundle(),
      projectexportbundle: () => this.exportBundle(),
      deploytoserver: () => this.deployToServer(),
      projectdeploytoserver: () => this.deployToServer(),
      toggletheme: () => this.toggleTheme(),
      viewtoggletheme: () => this.toggleTheme(),
    };
    table[c]?.();
  }

  private async refreshAll(): Promise<void> {
    try {
      const workspace = await this.api['workspace.get']({});
      const dirs = new Set(workspace.projects.map((p) => p.dir));
      for (const dir of this.state.order) if (!dirs.has(dir)) this.removeProject(dir);
      await Promise.all(workspace.projects.map((p) => this.refetch(p.dir, 0)));
    } catch (e) {
      this.fail(e);
    }
  }

  /** Fetches a project's state, coalescing bursts of change events into one request at a time. */
  private refetch(project: string, version: number): Promise<void> {
    this.wanted.set(project, Math.max(version, this.wanted.get(project) ?? 0));
    const running = this.fetching.get(project);
    if (running) return running;
    const run = (async () => {
      try {
        for (;;) {
          const want = this.wanted.get(project) ?? 0;
          const state = await this.api['project.get']({ project });
          this.applyState(state);
          if ((this.wanted.get(project) ?? 0) <= Math.max(want, state.version)) break;
        }
      } catch (e) {
        if (!(e instanceof StudioApiError && e.code === 'NOT_FOUND')) this.fail(e, project);
      } finally {
        this.fetching.delete(project);
        this.wanted.delete(project);
      }
    })();
    this.fetching.set(project, run);
    return run;
  }

  /** Takes a state from the engine unless a newer one is already here. */
  applyState(state: ProjectState): void {
    const dir = state.project.dir;
    this.store.set((s) => {
      const known = s.projects[dir];
      if (known && known.version > state.version) return {};
      const isNew = !known;
      const projects = { ...s.projects, [dir]: state };
      const order = s.order.includes(dir) ? s.order : [...s.order, dir];
      let expanded = s.expanded;
      if (isNew) {
        const next = new Set(expanded);
        next.add(refKey(dir, { type: 'project' }));
        next.add(folderKey(dir, 'connectors'));
        next.add(folderKey(dir, 'sequences'));
        for (const c of projectOf(state).connectors) {
          if ((c.transactions?.length ?? 0) <= AUTO_EXPAND_LIMIT) next.add(refKey(dir, { type: 'connector', connector: c.name }));
        }
        expanded = next;
      }
      const model = projectOf(state);
      const tabs = s.tabs.filter((t) => t.project !== dir || resolveRef(model, t.ref) !== undefined);
      const activeTab = tabs.some((t) => t.key === s.activeTab) ? s.activeTab : (tabs[tabs.length - 1]?.key ?? null);
      let selection = s.selection;
      if (selection && selection.project === dir && resolveRef(model, selection.ref) === undefined) {
        let ref = parentRef(selection.ref);
        while (resolveRef(model, ref) === undefined && ref.type !== 'project') ref = parentRef(ref);
        selection = { project: dir, ref, key: refKey(dir, ref) };
      }
      return { projects, order, expanded, tabs, activeTab, selection };
    });
  }

  private removeProject(dir: string): void {
    this.store.set((s) => {
      if (!s.projects[dir]) return {};
      const projects = { ...s.projects };
      delete projects[dir];
      const order = s.order.filter((d) => d !== dir);
      const tabs = s.tabs.filter((t) => t.project !== dir);
      const activeTab = tabs.some((t) => t.key === s.activeTab) ? s.activeTab : (tabs[tabs.length - 1]?.key ?? null);
      const first = order[0];
      const selection = s.selection?.project === dir ? (first ? { project: first, ref: { type: 'project' as const }, key: refKey(first, { type: 'project' }) } : null) : s.selection;
      return { projects, order, tabs, activeTab, selection };
    });
  }

  // ---- notices ---------------------------------------------------------------------------------

  notify(kind: Notice['kind'], message: string, where?: string): void {
    this.store.set({ notice: { id: ++this.noticeSeq, kind, message, where } });
  }

  fail(error: unknown, where?: string): void {
    console.error(error);
    this.notify('error', errorMessage(error), where);
  }

  dismissNotice(): void {
    this.store.set({ notice: null });
  }

  // ---- selection, tree and tabs ----------------------------------------------------------------

  /** Selects an object (and shows it in the preview tab); `reveal` expands its ancestors. */
  select(project: string, ref: ObjectRef, options: { key?: string; reveal?: boolean; pin?: boolean; focusTree?: boolean } = {}): void {
    const key = options.key ?? refKey(project, ref);
    this.store.set((s) => {
      const patch: Partial<StudioState> = { selection: { project, ref, key } };
      if (options.reveal) {
        const state = s.projects[project];
        const path = state && ref.type === 'step' ? stepPath(state, ref.sequence, ref.step) : [];
        const next = new Set(s.expanded);
        for (const k of ancestorKeys(project, ref, path)) next.add(k);
        patch.expanded = next;
      }
      if (options.focusTree) patch.treeFocusRequest = s.treeFocusRequest + 1;
      Object.assign(patch, this.tabsFor(s, project, ref, options.pin ?? false), this.runFollowing(s, project, ref));
      if (s.dialog?.type === 'quickOpen') patch.dialog = null;
      return patch;
    });
  }

  private tabsFor(s: StudioState, project: string, ref: ObjectRef, pin: boolean): Partial<StudioState> {
    const tabRef: ObjectRef = ref.type === 'variable' ? { type: 'transaction', connector: ref.connector, transaction: ref.transaction } : ref.type === 'step' || ref.type === 'sequenceVariable' ? { type: 'sequence', sequence: ref.sequence } : ref;
    const key = refKey(project, tabRef);
    const existing = s.tabs.find((t) => t.key === key);
    if (existing) {
      const tabs = pin && existing.preview ? s.tabs.map((t) => (t.key === key ? { ...t, preview: false } : t)) : s.tabs;
      return { tabs, activeTab: key };
    }
    const tab: Tab = { key, project, ref: tabRef, preview: !pin };
    const previewIndex = s.tabs.findIndex((t) => t.preview);
    const tabs = previewIndex >= 0 ? s.tabs.map((t, i) => (i === previewIndex ? tab : t)) : [...s.tabs, tab];
    return { tabs, activeTab: key };
  }

  /** Opens (pinned) the editor of the project's mappings.yaml and selects its tree row. */
  openMappings(project: string, options: { pin?: boolean } = {}): void {
    const key = mappingsKey(project);
    this.store.set((s) => {
      const existing = s.tabs.find((t) => t.key === key);
      const pin = options.pin ?? true;
      const tab: Tab = { key, project, ref: { type: 'project' }, preview: existing ? existing.preview && !pin : !pin, view: 'mappings' };
      const previewIndex = s.tabs.findIndex((t) => t.preview);
      const tabs = existing ? s.tabs.map((t) => (t.key === key ? tab : t)) : previewIndex >= 0 ? s.tabs.map((t, i) => (i === previewIndex ? tab : t)) : [...s.tabs, tab];
      return { tabs, activeTab: key, selection: { project, ref: { type: 'project' }, key } };
    });
  }

  selectFolder(project: string, key: string): void {
    this.store.set({ selection: { project, ref: { type: 'project' }, key } });
  }

  activateTab(key: string): void {
    const tab = this.state.tabs.find((t) => t.key === key);
    if (!tab) return;
    this.store.set((s) => ({ activeTab: key, selection: { project: tab.project, ref: tab.ref, key }, ...this.runFollowing(s, tab.project, tab.ref) }));
  }

  closeTab(key: string): void {
    this.store.set((s) => {
      const index = s.tabs.findIndex((t) => t.key === key);
      if (index < 0) return {};
      const tabs = s.tabs.filter((t) => t.key !== key);
      const activeTab = s.activeTab === key ? (tabs[Math.min(index, tabs.length - 1)]?.key ?? null) : s.activeTab;
      return { tabs, activeTab };
    });
  }

  pinTab(key: string): void {
    this.store.set((s) => ({ tabs: s.tabs.map((t) => (t.key === key ? { ...t, preview: false } : t)) }));
  }

  setExpanded(key: string, expanded: boolean): void {
    this.store.set((s) => {
      if (s.expanded.has(key) === expanded) return {};
      const next = new Set(s.expanded);
      if (expanded) next.add(key);
      else next.delete(key);
      return { expanded: next };
    });
  }

  setBottomTab(bottomTab: BottomTab): void {
    this.store.set({ bottomTab });
  }

  focusTree(): void {
    this.store.set((s) => ({ treeFocusRequest: s.treeFocusRequest + 1 }));
  }

  /** The project the toolbar acts on: the selection's, else the only one open. */
  currentProject(): string | null {
    return this.state.selection?.project ?? this.state.order[0] ?? null;
  }

  // ---- dialogs ---------------------------------------------------------------------------------

  closeDialog(): void {
    this.store.set({ dialog: null });
  }

  newProject(): void {
    this.store.set({ dialog: { type: 'newProject' } });
  }

  openProject(): void {
    this.store.set({ dialog: { type: 'openProject' } });
  }

  quickOpen(): void {
    if (this.state.order.length === 0) return this.notify('info', 'Open a project first: Quick Open lists its objects.');
    this.store.set({ dialog: { type: 'quickOpen' } });
  }

  /** New > Transaction under the selected connector (or the one the selection belongs to). */
  newTransaction(project = this.currentProject(), connector?: string | null): void {
    if (!project) return this.notify('info', 'Create or open a project first: New project (Ctrl+N) or Open (Ctrl+O).');
    const state = this.state.projects[project];
    if (!state) return;
    const sel = this.state.selection;
    let name = connector ?? null;
    if (name === null && sel?.project === project && 'connector' in sel.ref) name = sel.ref.connector;
    const connectors = projectOf(state).connectors;
    if (name === null && connectors.length === 1) name = connectors[0]?.name ?? null;
    if (connectors.length === 0) return this.notify('info', 'This project has no connector: create a project with the REST wizard (New ▾ › Project…) to get one.', state.project.name);
    this.store.set({ dialog: { type: 'newTransaction', project, connector: name } });
  }

  /** Import > REST WS reference (OpenAPI): into the project, or as a re-import into `connector`. */
  importOpenApi(project = this.currentProject(), connector?: string): void {
    if (!project || !this.state.projects[project]) return this.notify('info', 'Create or open a project first: the import adds a connector to it.');
    this.store.set({ dialog: { type: 'importOpenApi', project, connector } });
  }

  /** Project > Export bundle…: the project as one .trellis file. */
  exportBundle(project = this.currentProject()): void {
    if (!project || !this.state.projects[project]) return this.notify('info', 'Open a project first: Export bundle writes it as one .trellis file.');
    this.store.set({ dialog: { type: 'exportBundle', project } });
  }

  /** Project > Deploy to server…: export, then upload to a runtime's admin API. */
  deployToServer(project = this.currentProject()): void {
    if (!project || !this.state.projects[project]) return this.notify('info', 'Open a project first: Deploy to server uploads it to a Trellis runtime.');
    this.store.set({ dialog: { type: 'deployBundle', project } });
  }

  /** Import > WSDL (SOAP web service): into the project, or as a re-import into `connector`. */
  importWsdl(project = this.currentProject(), connector?: string): void {
    if (!project || !this.state.projects[project]) return this.notify('info', 'Create or open a project first: the import adds a connector to it.');
    this.store.set({ dialog: { type: 'importWsdl', project, connector } });
  }

  /** "Generate database services…" on a SQL connector. */
  generateCrud(project: string, connector: string): void {
    if (!this.state.projects[project]) return;
    this.store.set({ dialog: { type: 'generateCrud', project, connector } });
  }

  newVariable(project = this.currentProject(), ref = this.state.selection?.ref): void {
    const tx = transactionRefOf(ref);
    if (!project || !tx) return this.notify('info', 'Select a transaction to add a variable to it.');
    this.store.set({ dialog: { type: 'newVariable', project, connector: tx.connector, transaction: tx.transaction } });
  }

  // ---- project commands ------------------------------------------------------------------------

  async openProjectDir(dir: string): Promise<boolean> {
    try {
      const state = await this.api['project.open']({ dir });
      this.applyState(state);
      this.select(state.project.dir, { type: 'project' }, { reveal: true, focusTree: true });
      return true;
    } catch (e) {
      this.fail(e, dir);
      return false;
    }
  }

  /** After the wizard created a project. */
  projectCreated(state: ProjectState): void {
    this.applyState(state);
    this.select(state.project.dir, { type: 'project' }, { reveal: true, pin: true, focusTree: true });
  }

  async save(project = this.currentProject()): Promise<void> {
    await this.flushEdits();
    const dirs = project ? [project] : this.state.order.filter((d) => this.state.projects[d]?.dirty);
    for (const dir of dirs) {
      try {
        this.applyState(await this.api['project.save']({ project: dir }));
      } catch (e) {
        this.fail(e, dir);
      }
    }
  }

  async undo(project = this.currentProject()): Promise<void> {
    await this.flushEdits();
    if (!project || !this.state.projects[project]?.canUndo) return;
    try {
      this.applyState(await this.api['project.undo']({ project }));
    } catch (e) {
      this.fail(e, project);
    }
  }

  async redo(project = this.currentProject()): Promise<void> {
    if (!project || !this.state.projects[project]?.canRedo) return;
    try {
      this.applyState(await this.api['project.redo']({ project }));
    } catch (e) {
      this.fail(e, project);
    }
  }

  async closeProject(project: string): Promise<void> {
    try {
      await this.api['project.close']({ project });
      this.removeProject(project);
    } catch (e) {
      this.fail(e, project);
    }
  }

  // ---- object commands -------------------------------------------------------------------------

  startRename(key?: string): void {
    const sel = this.state.selection;
    const target = key ?? (sel && sel.key === refKey(sel.project, sel.ref) ? sel.key : null);
    if (!target) return;
    // the inline field takes the focus itself
    this.store.set({ renaming: target });
  }

  cancelRename(): void {
    this.store.set({ renaming: null });
  }

  /** Returns an error message to show beside the field, or null when done. */
  async rename(project: string, ref: ObjectRef, name: string): Promise<string | null> {
    const state = this.state.projects[project];
    if (!state) return 'the project is closed';
    if (name === refName(projectOf(state), ref)) {
      this.store.set({ renaming: null });
      return null;
    }
    try {
      const result = await this.api['object.rename']({ project, ref, name });
      const oldKey = refKey(project, ref);
      this.store.set((s) => ({
        renaming: null,
        tabs: s.tabs.map((t) => (t.key === oldKey ? { ...t, key: refKey(project, result.ref), ref: result.ref } : t)),
        activeTab: s.activeTab === oldKey ? refKey(project, result.ref) : s.activeTab,
      }));
      this.applyState(result.state);
      this.select(project, result.ref, { reveal: true, focusTree: true });
      return null;
    } catch (e) {
      return errorMessage(e);
    }
  }

  requestDelete(project = this.state.selection?.project, ref = this.state.selection?.ref): void {
    if (!project || !ref) return;
    if (ref.type === 'project') return this.notify('info', 'A project is not deleted from the studio: close it from its context menu, then remove its folder.');
    const state = this.state.projects[project];
    const label = state ? `${ref.type === 'sequenceVariable' ? 'variable' : ref.type} "${refName(projectOf(state), ref)}"` : ref.type;
    this.store.set({ dialog: { type: 'confirmDelete', project, ref, label } });
  }

  async delete(project: string, ref: ObjectRef): Promise<void> {
    this.store.set({ dialog: null });
    try {
      const state = await this.api['object.delete']({ project, ref });
      this.applyState(state);
      const parent = parentRef(ref);
      this.select(project, parent, { reveal: true, focusTree: true });
    } catch (e) {
      this.fail(e, project);
    }
  }

  async duplicate(project: string, ref: ObjectRef): Promise<void> {
    try {
      const result = await this.api['object.duplicate']({ project, ref });
      this.applyState(result.state);
      this.select(project, result.ref, { reveal: true, focusTree: true });
    } catch (e) {
      this.fail(e, project);
    }
  }

  async move(project: string, ref: ObjectRef, index: number): Promise<void> {
    try {
      this.applyState(await this.api['object.move']({ project, ref, index }));
      this.select(project, ref, { reveal: true });
    } catch (e) {
      this.fail(e, project);
    }
  }

  /** After a wizard created an object. */
  objectCreated(project: string, ref: ObjectRef, state: ProjectState): void {
    this.store.set({ dialog: null });
    this.applyState(state);
    this.select(project, ref, { reveal: true, pin: ref.type === 'transaction', focusTree: true });
  }

  // ---- execution -------------------------------------------------------------------------------

  /** F5: runs the selected transaction (or the last one run, when the selection is elsewhere). */
  execute(project?: string, ref?: ObjectRef): void {
    void this.flushEdits().then(() => this.requestRun(project, ref));
  }

  private requestRun(project?: string, ref?: ObjectRef): void {
    const sel = this.state.selection;
    const p = project ?? sel?.project;
    const tx = transactionRefOf(ref ?? sel?.ref);
    if (p && tx) {
      const state = this.state.projects[p];
      if (!state || !findConnector(projectOf(state), tx.connector)) return;
      this.store.set((s) => ({
        run: { ...s.run, project: p, target: `${tx.connector}.${tx.transaction}`, targetType: 'transaction', runRequest: s.run.runRequest + 1, running: true },
        bottomTab: 'response',
      }));
      return;
    }
    const sequence = sequenceNameOf(ref ?? sel?.ref);
    if (p && sequence) {
      const state = this.state.projects[p];
      if (!state || !findSequence(projectOf(state), sequence)) return;
      this.store.set((s) => ({
        run: { ...s.run, project: p, target: sequence, targetType: 'sequence', runRequest: s.run.runRequest + 1, running: true },
        bottomTab: 'response',
      }));
      return;
    }
    if (this.state.run.target && this.state.run.project && this.state.projects[this.state.run.project]) {
      this.store.set((s) => ({ run: { ...s.run, runRequest: s.run.runRequest + 1, running: true }, bottomTab: 'response' }));
      return;
    }
    this.notify('info', 'Select a transaction or a sequence in the Projects view, then press F5 to execute it.');
  }

  stop(): void {
    this.store.set((s) => ({ run: { ...s.run, stopRequest: s.run.stopRequest + 1 } }));
  }

  /** The run panel's target follows the selection when it is a transaction or a sequence (part of the same update). */
  private runFollowing(s: StudioState, project: string, ref: ObjectRef): Partial<StudioState> {
    const tx = transactionRefOf(ref);
    const sequence = sequenceNameOf(ref);
    if (!tx && !sequence) return {};
    // a run in flight keeps its panel
    if (s.run.running) return {};
    const target = tx ? `${tx.connector}.${tx.transaction}` : sequence!;
    const targetType = tx ? 'transaction' : 'sequence';
    if (s.run.project === project && s.run.target === target && s.run.targetType === targetType) return {};
    return { run: { ...s.run, project, target, targetType } };
  }

  runFinished(result: ExecutionResult): void {
    this.traces.end(result.runId, result);
    this.store.set((s) => {
      const executed = new Set(s.executed);
      if (s.run.project && s.run.target && result.ok) executed.add(`${s.run.project}\u0001${s.run.target}`);
      return {
        executed,
        run: {
          ...s.run,
          running: false,
          last: s.run.project && s.run.target ? { project: s.run.project, target: s.run.target, ok: result.ok, ms: result.ms, status: result.ok ? result.status : undefined, at: Date.now() } : s.run.last,
        },
      };
    });
  }

  /** "Update schema from current connector data": infers the output schema of `owner` from its last result. */
  async updateSchema(project: string, owner: string): Promise<void> {
    try {
      const { schema } = await this.api['schema.update']({ project, owner });
      const props = schema.properties && typeof schema.properties === 'object' ? Object.keys(schema.properties).length : 0;
      const items = schema.type === 'array' ? ' (an array)' : '';
      this.notify('info', `Schema of ${owner} updated${items}${props ? `: ${props} properties` : ''}. The source picker shows its fields.`, owner);
      // source pickers and JS completions read schemas: they fetch again
      this.store.set((s) => ({ schemasVersion: s.schemasVersion + 1 }));
    } catch (e) {
      this.fail(e, owner);
    }
  }

  // ---- sequences -------------------------------------------------------------------------------

  /** New > Sequence: an empty sequence under a free name, selected and renamed inline. */
  async newSequence(project = this.currentProject()): Promise<void> {
    if (!project) return this.notify('info', 'Create or open a project first: New project (Ctrl+N) or Open (Ctrl+O).');
    const state = this.state.projects[project];
    if (!state) return;
    const name = uniqueName('sequence', new Set(projectOf(state).sequences.map((s) => s.name)));
    try {
      const result = await this.api['object.create']({ project, parent: { type: 'project' }, objectType: 'sequence', value: { name, variables: [], steps: [] } });
      this.applyState(result.state);
      // the inline name field takes the focus itself (asking the tree for it would end the rename)
      this.select(project, result.ref, { reveal: true, pin: true });
      this.startRename(refKey(project, result.ref));
    } catch (e) {
      this.fail(e, project);
    }
  }

  /** The source picker writes to this step property (the "Pick…" button); opens the Source picker tab. */
  pickSource(target: SourcePick | null, show = true): void {
    this.store.set(show ? { sourcePick: target, bottomTab: 'sources' } : { sourcePick: target });
  }

  /** Writes `{source: {from, path}}` into the chosen step property. */
  async applySource(target: SourcePick, node: Pick<SourceNodeDto, 'from' | 'path' | 'meta'>): Promise<boolean> {
    await this.flushEdits();
    const state = this.state.projects[target.project];
    const step = state ? findStep(findSequence(projectOf(state), target.sequence)?.steps, target.step) : undefined;
    if (!state || !step) return false;
    const value = JSON.parse(JSON.stringify(step)) as Record<string, unknown>;
    let at: Record<string, unknown> = value;
    for (const key of target.path.slice(0, -1)) {
      const next = at[key];
      at = (at[key] = next && typeof next === 'object' && !Array.isArray(next) ? next : {}) as Record<string, unknown>;
    }
    const last = target.path[target.path.length - 1];
    if (last === undefined) return false;
    at[last] = { source: node.meta ? { from: node.from, path: node.path, meta: true } : { from: node.from, path: node.path } };
    try {
      this.applyState(await this.api['object.update']({ project: target.project, ref: { type: 'step', sequence: target.sequence, step: target.step }, value }));
      return true;
    } catch (e) {
      this.fail(e, `${target.sequence}/${target.step}`);
      return false;
    }
  }

  // ---- theme -----------------------------------------------------------------------------------

  toggleTheme(): void {
    const next: Theme = effectiveTheme(this.state) === 'dark' ? 'light' : 'dark';
    // back to "follow the OS" when the choice matches it again
    const override = next === this.state.osTheme ? null : next;
    savePreference('theme', override);
    this.store.set({ themeOverride: override });
  }
}

/** The sequence a ref belongs to (the sequence, one of its steps or variables). */
export function sequenceNameOf(ref: ObjectRef | null | undefined): string | null {
  if (!ref) return null;
  return ref.type === 'sequence' || ref.type === 'step' || ref.type === 'sequenceVariable' ? ref.sequence : null;
}

/** Ids of the container steps above a step, outermost first. */
function stepPath(state: ProjectState, sequence: string, step: string): string[] {
  const seq = findSequence(projectOf(state), sequence);
  const walk = (steps: readonly { id: string; steps?: unknown[] }[] | undefined, trail: string[]): string[] | null => {
    for (const s of steps ?? []) {
      if (s.id === step) return trail;
      const inner = walk(s.steps as { id: string; steps?: unknown[] }[] | undefined, [...trail, s.id]);
      if (inner) return inner;
    }
    return null;
  };
  if (!seq || !findStep(seq.steps, step)) return [];
  return walk(seq.steps, []) ?? [];
}

