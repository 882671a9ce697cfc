import { homedir } from 'node:os';
import { basename } from 'node:path';
import type { EventName, EventPayload, ParsedParams, ProjectState, StudioHandlers } from '../contract/index.js';
import { TrellisError, toTrellisError } from '../engine/errors.js';
import { Logs, type Logger } from '../engine/logger.js';
import { ConnectionPool } from '../engine/pool.js';
import { toName, type Project } from '../model/index.js';
import { createProject, loadProject, saveConnector, saveProject } from '../project/index.js';
import { bundleInfo, deployProjectBundle, exportProjectBundle } from './bundle.js';
import { EventHub, type Disposable, type StudioEventListener } from './events.js';
import { Executions } from './execution.js';
import { expandDir, listFolder } from './fs-browse.js';
import { ImportRecords } from './import-records.js';
import { generateCrudInto } from './crud.js';
import { introspectConnector } from './introspect.js';
import { listKinds, listStepKinds } from './kinds.js';
import { logEventStream } from './logs.js';
import { createObject, deleteObject, duplicateObject, moveObject, renameObject, updateObject } from './object-edits.js';
import { checkName, validateConnector } from './object-validate.js';
import { importOpenApiInto, previewOpenApi, type OpenApiDeps } from './openapi.js';
import { RunMemory } from './run-memory.js';
import { applyRenamesToFiles } from './rename-files.js';
import { forgetRenames, pendingRenames } from './rename-log.js';
import { ExecutionHistory } from './history.js';
import type { TraceEvent } from '../engine/trace.js';
import { sendLevelsToRuntime, studioLevels } from './log-levels.js';
import { createStub, createTestFromExecution, listTests, runProjectTests, type TestingDeps } from './testing.js';
import { SchemaStore } from './schemas.js';
import { runSequence, sequenceProblems, sequenceSources, type SequenceDeps } from './sequences.js';
import { Debugging } from './debug.js';
import { moveStep } from './step-edits.js';
import { Tasks } from './tasks.js';
import { listSchedules, scheduledRun } from './schedules.js';
import { getMappings, saveMappings } from './mappings.js';
import { FullsyncService } from './fullsync.js';
import { watchProject, type ProjectWatcher } from './watch.js';
import { importWsdlInto, previewWsdl, wsdlDeps, type WsdlDeps } from './wsdl.js';
import { OpenProject, Workspace, projectKey } from './workspace.js';

export interface StudioServiceOptions {
  /** copy every log line to stderr (web mode: the terminal that started the studio) */
  logToStderr?: boolean;
  /** a TRELLIS_LOG-style level spec; default TRELLIS_LOG, else info */
  logSpec?: string;
  watchDebounceMs?: number;
}

/**
 * The one facade over the engine that every studio transport calls (DESIGN.md, "one facade, many
 * transports"). It owns the open projects, the connection pool, the runs and the file watchers.
 */
export class StudioService implements StudioHandlers {
  private readonly hub = new EventHub();
  private readonly workspace = new Workspace();
  private readonly watchers = new Map<string, ProjectWatcher>();
  private readonly opening = new Map<string, Promise<ProjectState>>();
  private readonly pool = new ConnectionPool();
  private readonly executions: Executions;
  private readonly memory = new RunMemory();
  private readonly schemas = new SchemaStore(this.memory);
  private readonly tasks = new Tasks((p) => this.hub.emit('task.progress', p));
  private readonly sequences: SequenceDeps;
  private readonly history = new ExecutionHistory();
  private readonly testing: TestingDeps;
  private readonly debugging: Debugging;
  private readonly imports: OpenApiDeps = { tasks: this.tasks, records: new ImportRecords() };
  private readonly wsdlImports: WsdlDeps = wsdlDeps(this.tasks);
  private readonly fullsync: FullsyncService;
  readonly logs: Logs;
  readonly logger: Logger;

  constructor(private readonly options: StudioServiceOptions = {}) {
    const destination = logEventStream((entry) => this.hub.emit('log.entry', entry), { stderr: options.logToStderr });
    this.logs = new Logs({ spec: options.logSpec ?? process.env.TRELLIS_LOG ?? 'info', destination });
    this.logger = this.logs.get('studio');
    const onTrace = (e: EventPayload<'run.event'>) => {
      this.history.onTrace(e as TraceEvent);
      this.hub.emit('run.event', e);
    };
    this.executions = new Executions({ pool: this.pool, logger: this.logs.get('transaction'), memory: this.memory, onTrace });
    this.sequences = { executions: this.executions, pool: this.pool, logger: this.logs.get('sequence'), memory: this.memory, schemas: this.schemas, onTrace };
    this.testing = {
      pool: this.pool,
      loggers: { transaction: this.logs.get('transaction'), connector: this.logs.get('connector'), sequence: this.logs.get('sequence') },
      schemas: this.schemas,
      history: this.history,
      executions: this.executions,
      progress: (taskId, phase, done, total) => this.hub.emit('task.progress', { taskId, phase, done, total }),
    };
    this.debugging = new Debugging(this.sequences, (name, payload) => this.hub.emit(name, payload));
    this.fullsync = new FullsyncService({ pool: this.pool, loggers: { connector: this.logs.get('connector'), sequence: this.logs.get('sequence') } });
  }

  onEvent(listener: StudioEventListener): Disposable {
    return this.hub.on(listener);
  }

  private emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    this.hub.emit(name, payload);
  }

  private changed(entry: OpenProject, reason: EventPayload<'project.changed'>['reason'], conflict?: boolean): ProjectState {
    this.emit('project.changed', { project: entry.dir, reason, version: entry.version, dirty: entry.dirty, ...(conflict === undefined ? {} : { conflict }) });
    return entry.state();
  }

  /** Open projects with unsaved edits: the desktop shell asks before quitting. */
  dirtyProjects(): Array<{ dir: string; name: string }> {
    return this.workspace
      .list()
      .filter((p) => p.dirty)
      .map((p) => ({ dir: p.dir, name: p.project.name }));
  }

  async 'workspace.get'(_params: ParsedParams<'workspace.get'>) {
    return { projects: this.workspace.list().map((p) => ({ dir: p.dir, name: p.project.name, dirty: p.dirty })), home: homedir() };
  }

  async 'project.open'({ dir }: ParsedParams<'project.open'>) {
    const key = projectKey(expandDir(dir));
    const open = this.workspace.find(key);
    if (open) return open.state();
    // Two clicks on the same folder open it once.
    let pending = this.opening.get(key);
    if (!pending) {
      pending = this.openFolder(key).finally(() => this.opening.delete(key));
      this.opening.set(key, pending);
    }
    return pending;
  }

  private async openFolder(dir: string): Promise<ProjectState> {
    const { project, problems } = await loadProject(dir);
    const entry = new OpenProject(project, problems);
    const watcher = await watchProject(entry.dir, (files) => this.onDiskChange(entry, files), this.options.watchDebounceMs);
    this.watchers.set(entry.dir, watcher);
    this.workspace.add(entry);
    this.logger.info({ project: entry.dir }, `opened project ${project.name} (${entry.dir})${problems.length ? ` with ${problems.length} problem(s)` : ''}`);
    return this.changed(entry, 'open');
  }

  private async onDiskChange(entry: OpenProject, files: string[]): Promise<void> {
    if (this.workspace.find(entry.dir) !== entry) return;
    this.logger.info({ project: entry.dir, files }, `project ${entry.project.name}: files changed on disk: ${files.join(', ')}`);
    const loaded = await loadProject(entry.dir).catch((e: unknown) => toTrellisError(e, entry.dir));
    this.changed(entry, 'disk', entry.diskChanged(loaded, files));
  }

  async 'project.create'({ dir: rawDir, name, description, rest }: ParsedParams<'project.create'>) {
    const dir = projectKey(expandDir(rawDir));
    if (this.workspace.find(dir)) throw new TrellisError('INVALID_PROJECT', `${dir} is already open as a project`, { path: dir });
    const projectName = checkName(name ?? toName(basename(dir), 'project'), dir);
    // Checked before anything is written, so a typo in the wizard leaves no half-made folder behind.
    const connector = rest
      ? validateConnector(
          {
            name: rest.connector,
            kind: 'http',
            config: { host: rest.host, https: rest.https, ...(rest.port === undefined ? {} : { port: rest.port }), ...(rest.basePath ? { basePath: rest.basePath } : {}) },
          },
          `${projectName}/connectors/${rest.connector}`,
        )
      : undefined;
    await createProject(dir, { name: projectName, ...(description ? { description } : {}) });
    if (connector) await saveConnector(dir, connector);
    this.logger.info({ project: dir }, `created project ${projectName} in ${dir}`);
    return this['project.open']({ dir });
  }

  async 'project.get'({ project }: ParsedParams<'project.get'>) {
    return this.workspace.get(project).state();
  }

  async 'project.close'({ project }: ParsedParams<'project.close'>) {
    const entry = this.workspace.remove(project);
    if (entry) {
      this.watchers.get(entry.dir)?.dispose();
      this.watchers.delete(entry.dir);
      this.memory.forget(entry.dir);
      forgetRenames(entry.dir);
      this.history.forget(entry.dir);
      this.debugging.forget(entry.dir);
      this.imports.records.forget(entry.dir);
      this.wsdlImports.records.forget(entry.dir);
      await this.fullsync.forget(entry.dir);
      entry.version++;
      this.changed(entry, 'close');
    }
    return { ok: true as const };
  }

  async 'project.save'({ project }: ParsedParams<'project.save'>) {
    const entry = this.workspace.get(project);
    const watcher = this.watchers.get(entry.dir);
    const write = () => this.write(entry);
    await (watcher ? watcher.whileWriting(write) : write());
    return this.changed(entry, 'save');
  }

  private async write(entry: OpenProject): Promise<void> {
    const saved = entry.project;
    const writeImportRecords = this.imports.records.planSave(entry);
    const writeWsdlRecords = this.wsdlImports.records.planSave(entry);
    // saveProject also removes the files of objects deleted or renamed since the last save.
    await saveProject(saved);
    await applyRenamesToFiles(entry.dir, pendingRenames(saved));
    await writeImportRecords();
    await writeWsdlRecords();
    const { problems } = await loadProject(entry.dir);
    entry.markSaved(saved, problems);
    this.logger.info({ project: entry.dir }, `saved project ${saved.name}`);
  }

  async 'project.undo'({ project }: ParsedParams<'project.undo'>) {
    const entry = this.workspace.get(project);
    return entry.undo() ? this.changed(entry, 'undo') : entry.state();
  }

  async 'project.redo'({ project }: ParsedParams<'project.redo'>) {
    const entry = this.workspace.get(project);
    return entry.redo() ? this.changed(entry, 'redo') : entry.state();
  }

  private edit(dir: string, change: (project: Project) => Project): ProjectState {
    const entry = this.workspace.get(dir);
    entry.applyEdit(change(entry.project));
    return this.changed(entry, 'edit');
  }

  async 'object.create'({ project, parent, objectType, value, index }: ParsedParams<'object.create'>) {
    let ref!: ReturnType<typeof createObject>['ref'];
    const state = this.edit(project, (p) => {
      const result = createObject(p, parent, objectType, value, index);
      ref = result.ref;
      return result.project;
    });
    return { ref, state };
  }

  async 'object.update'({ project, ref, value }: ParsedParams<'object.update'>) {
    return this.edit(project, (p) => updateObject(p, ref, value));
  }

  async 'object.rename'({ project, ref, name }: ParsedParams<'object.rename'>) {
    let next = ref;
    const state = this.edit(project, (p) => {
      const result = renameObject(p, ref, name);
      next = result.ref;
      return result.project;
    });
    return { ref: next, state };
  }

  async 'object.delete'({ project, ref }: ParsedParams<'object.delete'>) {
    return this.edit(project, (p) => deleteObject(p, ref));
  }

  async 'object.duplicate'({ project, ref }: ParsedParams<'object.duplicate'>) {
    let copy = ref;
    const state = this.edit(project, (p) => {
      const result = duplicateObject(p, ref);
      copy = result.ref;
      return result.project;
    });
    return { ref: copy, state };
  }

  async 'object.move'({ project, ref, index }: ParsedParams<'object.move'>) {
    return this.edit(project, (p) => moveObject(p, ref, index));
  }

  async 'kinds.list'(_params: ParsedParams<'kinds.list'>) {
    return listKinds();
  }

  async 'transaction.execute'(params: ParsedParams<'transaction.execute'>) {
    const project = this.workspace.get(params.project).project;
    const startedAt = new Date();
    const result = await this.executions.execute(project, params);
    this.history.record(project, { kind: 'transaction', target: params.target, variables: params.variables, stubs: params.stubs === true, timeoutMs: params.timeoutMs }, result, startedAt);
    return result;
  }

  async 'run.cancel'({ runId }: ParsedParams<'run.cancel'>) {
    return { cancelled: this.executions.cancel(runId) };
  }

  async 'run.page'({ runId, part, offset, length }: ParsedParams<'run.page'>) {
    return this.executions.page(runId, part, offset, length);
  }

  async 'steps.list'(_params: ParsedParams<'steps.list'>) {
    return { steps: listStepKinds() };
  }

  async 'step.move'({ project, sequence, step, parent, index }: ParsedParams<'step.move'>) {
    return this.edit(project, (p) => moveStep(p, sequence, step, parent, index));
  }

  async 'sequence.execute'(params: ParsedParams<'sequence.execute'>) {
    const project = this.workspace.get(params.project).project;
    const startedAt = new Date();
    const result = await runSequence(this.sequences, project, params);
    this.history.record(project, { kind: 'sequence', target: params.sequence, variables: params.variables, stubs: params.stubs === true, timeoutMs: params.timeoutMs }, result, startedAt);
    return result;
  }

  async 'sequence.debug'(params: ParsedParams<'sequence.debug'>) {
    return this.debugging.debug(this.workspace.get(params.project).project, params);
  }

  async 'debug.command'({ runId, command }: ParsedParams<'debug.command'>) {
    this.debugging.command(runId, command);
    return { ok: true as const };
  }

  async 'debug.setBreakpoints'(params: ParsedParams<'debug.setBreakpoints'>) {
    return { breakpoints: this.debugging.setBreakpoints(this.workspace.get(params.project).project, params) };
  }

  async 'sequence.check'({ project, sequence }: ParsedParams<'sequence.check'>) {
    return { problems: sequenceProblems(this.workspace.get(project).project, sequence) };
  }

  async 'sequence.sources'({ project, sequence, step }: ParsedParams<'sequence.sources'>) {
    return { tree: await sequenceSources(this.sequences, this.workspace.get(project).project, sequence, step) };
  }

  async 'schema.get'({ project, owner }: ParsedParams<'schema.get'>) {
    return { schema: await this.schemas.get(this.workspace.get(project).project, owner) };
  }

  async 'schema.update'({ project, owner }: ParsedParams<'schema.update'>) {
    return { schema: await this.schemas.update(this.workspace.get(project).project, owner) };
  }

  async 'openapi.preview'(params: ParsedParams<'openapi.preview'>) {
    return previewOpenApi(this.imports, this.workspace.get(params.project), params);
  }

  async 'openapi.import'(params: ParsedParams<'openapi.import'>) {
    return importOpenApiInto(this.imports, this.workspace.get(params.project), params, (next) => this.edit(params.project, () => next));
  }

  async 'connector.introspect'(params: ParsedParams<'connector.introspect'>) {
    return introspectConnector({ pool: this.pool, logger: this.logs.get('connector') }, this.workspace.get(params.project).project, params);
  }

  async 'connector.generateCrud'(params: ParsedParams<'connector.generateCrud'>) {
    const entry = this.workspace.get(params.project);
    const watcher = this.watchers.get(entry.dir);
    const whileWriting = <T>(write: () => Promise<T>) => (watcher ? watcher.whileWriting(write) : write());
    return generateCrudInto({ pool: this.pool, logger: this.logs.get('connector'), whileWriting }, entry, params, (next) => this.edit(params.project, () => next));
  }

  async 'bundle.info'({ project }: ParsedParams<'bundle.info'>) {
    return bundleInfo(this.workspace.get(project));
  }

  async 'bundle.export'(params: ParsedParams<'bundle.export'>) {
    return exportProjectBundle(this.tasks, this.workspace.get(params.project), params);
  }

  async 'bundle.deploy'(params: ParsedParams<'bundle.deploy'>) {
    return deployProjectBundle(this.tasks, this.workspace.get(params.project), params);
  }

  async 'wsdl.preview'(params: ParsedParams<'wsdl.preview'>) {
    return previewWsdl(this.wsdlImports, this.workspace.get(params.project), params);
  }

  async 'wsdl.import'(params: ParsedParams<'wsdl.import'>) {
    return importWsdlInto(this.wsdlImports, this.workspace.get(params.project), params, (next) => this.edit(params.project, () => next));
  }

  async 'tests.list'({ project }: ParsedParams<'tests.list'>) {
    return listTests(this.workspace.get(project).project);
  }

  async 'tests.run'(params: ParsedParams<'tests.run'>) {
    return runProjectTests(this.testing, this.workspace.get(params.project).project, params);
  }

  async 'tests.createFromExecution'(params: ParsedParams<'tests.createFromExecution'>) {
    return createTestFromExecution(this.testing, this.workspace.get(params.project).project, params);
  }

  async 'stub.create'(params: ParsedParams<'stub.create'>) {
    return createStub(this.testing, this.workspace.get(params.project).project, params);
  }

  async 'history.list'({ project }: ParsedParams<'history.list'>) {
    return { entries: this.history.list(this.workspace.get(project).dir) };
  }

  async 'history.get'({ project, id }: ParsedParams<'history.get'>) {
    return this.history.get(this.workspace.get(project).dir, id);
  }

  async 'history.rerun'({ project, id, runId }: ParsedParams<'history.rerun'>) {
    const { input } = this.history.find(this.workspace.get(project).dir, id);
    const common = { project, variables: input.variables, runId, timeoutMs: input.timeoutMs, stubs: input.stubs };
    return input.kind === 'transaction' ? this['transaction.execute']({ ...common, target: input.target }) : this['sequence.execute']({ ...common, sequence: input.target });
  }

  async 'logs.getLevels'(_params: ParsedParams<'logs.getLevels'>) {
    return studioLevels(this.logs);
  }

  async 'logs.setLevels'({ levels, runtime }: ParsedParams<'logs.setLevels'>) {
    if (runtime) return { levels: this.logs.currentLevels(), runtime: await sendLevelsToRuntime(runtime, levels) };
    this.logs.setLevels(levels);
    this.logger.info({ levels }, `log levels: ${Object.entries(levels).map(([c, l]) => `${c}=${l}`).join(', ')}`);
    return { levels: this.logs.currentLevels() };
  }

  async 'schedule.list'({ project }: ParsedParams<'schedule.list'>) {
    return listSchedules(this.workspace.get(project).project);
  }

  async 'schedule.runNow'({ project, job, runId }: ParsedParams<'schedule.runNow'>) {
    const { sequence, variables } = await scheduledRun(this.workspace.get(project).project, job);
    return this['sequence.execute']({ project, sequence, variables, runId });
  }

  async 'mappings.get'({ project }: ParsedParams<'mappings.get'>) {
    return getMappings(this.workspace.get(project).project);
  }

  async 'mappings.save'({ project, text }: ParsedParams<'mappings.save'>) {
    const entry = this.workspace.get(project);
    const watcher = this.watchers.get(entry.dir);
    return saveMappings(entry.project, text, (write) => (watcher ? watcher.whileWriting(write) : write()));
  }

  async 'fullsync.databases'({ project }: ParsedParams<'fullsync.databases'>) {
    return this.fullsync.databases(this.workspace.get(project).project);
  }

  async 'fullsync.docs'(params: ParsedParams<'fullsync.docs'>) {
    return this.fullsync.docs(this.workspace.get(params.project).project, params);
  }

  async 'fullsync.doc.get'({ project, connector, id }: ParsedParams<'fullsync.doc.get'>) {
    return this.fullsync.getDoc(this.workspace.get(project).project, connector, id);
  }

  async 'fullsync.doc.put'({ project, connector, json }: ParsedParams<'fullsync.doc.put'>) {
    return this.fullsync.putDoc(this.workspace.get(project).project, connector, json);
  }

  async 'fullsync.doc.delete'({ project, connector, id, rev }: ParsedParams<'fullsync.doc.delete'>) {
    return this.fullsync.deleteDoc(this.workspace.get(project).project, connector, id, rev);
  }

  async 'fullsync.view.query'(params: ParsedParams<'fullsync.view.query'>) {
    return this.fullsync.queryView(this.workspace.get(params.project).project, params);
  }

  async 'fullsync.view.get'({ project, connector, view }: ParsedParams<'fullsync.view.get'>) {
    return this.fullsync.getView(this.workspace.get(project).project, connector, view);
  }

  async 'fullsync.view.save'({ project, connector, view, code }: ParsedParams<'fullsync.view.save'>) {
    return this.fullsync.saveView(this.workspace.get(project).project, connector, view, code);
  }

  async 'fullsync.listeners.start'({ project }: ParsedParams<'fullsync.listeners.start'>) {
    return this.fullsync.startListeners(this.workspace.get(project).project);
  }

  async 'fullsync.listeners.stop'({ project }: ParsedParams<'fullsync.listeners.stop'>) {
    return this.fullsync.stopListeners(this.workspace.get(project).project);
  }

  async 'fullsync.listeners.activity'({ project }: ParsedParams<'fullsync.listeners.activity'>) {
    return this.fullsync.activity(this.workspace.get(project).project);
  }

  async 'task.cancel'({ taskId }: ParsedParams<'task.cancel'>) {
    return { cancelled: this.tasks.cancel(taskId) };
  }

  async 'fs.list'({ dir, files, extensions }: ParsedParams<'fs.list'>) {
    return listFolder(dir, { files, extensions });
  }

  /** Settles once every watcher has handled what it saw (tests, shutdown). */
  async idle(): Promise<void> {
    await Promise.all([...this.watchers.values()].map((w) => w.idle()));
  }

  async dispose(): Promise<void> {
    for (const w of this.watchers.values()) w.dispose();
    this.watchers.clear();
    this.executions.dispose();
    this.tasks.dispose();
    await this.fullsync.dispose();
    await this.pool.dispose();
    this.hub.clear();
  }
}
