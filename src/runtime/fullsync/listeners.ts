import type { Json } from '../../model/index.js';
import { isCouchHandle, type CouchHandle, type Listener } from '../../connectors/couch.connector.js';
import { couchConfigSchema } from '../../connectors/couch/config.js';
import type { PouchChange, PouchDoc } from '../../connectors/couch/pouch.js';
import { runInSandbox } from '../../connectors/couch/sandbox-run.js';
import { readView } from '../../connectors/couch/view-files.js';
import { executeSequence } from '../../engine/sequence/index.js';
import type { Env } from '../../engine/env.js';
import type { Logger } from '../../engine/logger.js';
import type { ConnectionPool } from '../../engine/pool.js';
import type { Project } from '../../model/index.js';

/** What listeners need of their host: a runtime Deployment, or the studio running them on demand. */
export interface ListenerHost {
  readonly project: Project;
  readonly env: Env;
  readonly pool: ConnectionPool;
  readonly timeoutMs: number;
  readonly loggers: { readonly sequence: Logger; readonly connector: Logger };
}

/** What the runtime keeps of listeners: started with a deployment, stopped (after the chunk in hand) when it retires. */
export interface ListenerSet {
  stop(): Promise<void>;
  /** recent activity, newest last (the studio and tests read it) */
  activity(): ListenerActivity[];
}

export interface ListenerActivity {
  at: string;
  connector: string;
  listener: string;
  docs: number;
  ok: boolean;
  error?: string;
  lastSeq: string | number;
}

const PAGE = 500;
const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 30_000;
const ACTIVITY_KEPT = 200;

// One runner per store and listener in a process: a hot-swap's new deployment waits until the old one's runner has
// finished its chunk and stopped, so no chunk is processed twice by two deployments.
const batons = new Map<string, Promise<void>>();

function checkpointId(connector: string, listener: string): string {
  return `_local/trellis-listener~${connector}~${listener}`;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((done) => {
    const t = setTimeout(done, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), done()), { once: true });
  });
}

/** Documents of a chunk the listener wants: by its view (emits a row) or filter (true), in the sandbox. */
async function selectDocs(docs: PouchDoc[], listener: Listener, handle: CouchHandle, projectDir: string): Promise<PouchDoc[]> {
  if (!docs.length || (!listener.view && !listener.filter)) return docs;
  let keep = docs;
  if (listener.view) {
    const view = await readView(projectDir, handle.config.database, listener.view);
    const program = `const hit = new Set(); let id;\nconst emit = () => hit.add(id);\n${view.code}\nfor (const d of variables.input) { id = d._id; try { map(d); } catch (e) {} }\nreturn [...hit];`;
    const hits = new Set(((await runInSandbox(program, keep as unknown as Json)) ?? []) as string[]);
    keep = keep.filter((d) => hits.has(d._id));
  }
  if (listener.filter && keep.length) {
    const program = `return variables.input.map((doc) => { try { return !!(${listener.filter}); } catch (e) { return false; } });`;
    const flags = ((await runInSandbox(program, keep as unknown as Json)) ?? []) as boolean[];
    keep = keep.filter((_, i) => flags[i]);
  }
  return keep;
}

class ListenerRunner {
  private readonly stopping = new AbortController();
  readonly done: Promise<void>;

  constructor(
    private readonly dep: ListenerHost,
    private readonly connector: string,
    private readonly listener: Listener,
    private readonly logger: Logger,
    private readonly record: (a: ListenerActivity) => void,
  ) {
    const key = `${dep.project.dir}\u0000${connector}\u0000${listener.name}`;
    const previous = batons.get(key) ?? Promise.resolve();
    this.done = previous.then(() => this.loop()).catch((e) => this.logger.error({ err: e, listener: listener.name }, 'listener stopped on an error'));
    batons.set(key, this.done);
    void this.done.finally(() => batons.get(key) === this.done && batons.delete(key));
  }

  stop(): Promise<void> {
    this.stopping.abort();
    return this.done;
  }

  private async handle(): Promise<CouchHandle> {
    const connector = this.dep.project.connectors.find((c) => c.name === this.connector)!;
    const h = await this.dep.pool.get(this.dep.project.dir, connector, this.dep.env, this.dep.loggers.connector);
    if (!isCouchHandle(h)) throw new Error(`connector ${this.connector} is not a couch connector`);
    return h;
  }

  private async loop(): Promise<void> {
    const signal = this.stopping.signal;
    if (signal.aborted) return;
    const handle = await this.handle();
    const db = handle.db;
    const id = checkpointId(this.connector, this.listener.name);
    let since: string | number = ((await db.get(id).catch(() => undefined)) as { seq?: string | number } | undefined)?.seq ?? 0;
    let delay = RETRY_MIN_MS;
    while (!signal.aborted) {
      const page = await db.changes({ since, limit: PAGE, include_docs: true });
      if (page.results.length === 0) {
        await this.waitForChange(handle, since, signal);
        continue;
      }
      const wanted = page.results.filter((c: PouchChange) => !c.id.startsWith('_design/') && (this.listener.on === 'delete' ? c.deleted === true : !c.deleted) && c.doc);
      const docs = await selectDocs(wanted.map((c) => c.doc!), this.listener, handle, this.dep.project.dir);
      // chunks in feed order; the checkpoint moves after each chunk a sequence accepted (never before)
      const seqOf = new Map(wanted.map((c) => [c.id, c.seq]));
      let i = 0;
      while (i < docs.length && !signal.aborted) {
        const chunk = docs.slice(i, i + this.listener.chunkSize);
        const lastSeq = seqOf.get(chunk[chunk.length - 1]!._id)!;
        const ok = await this.call(chunk, lastSeq);
        if (!ok) {
          await sleep(delay, signal);
          delay = Math.min(delay * 2, RETRY_MAX_MS);
          continue;
        }
        delay = RETRY_MIN_MS;
        await this.saveCheckpoint(handle, id, lastSeq);
        i += chunk.length;
      }
      if (signal.aborted) break;
      since = page.last_seq;
      await this.saveCheckpoint(handle, id, since);
    }
  }

  private async call(chunk: PouchDoc[], lastSeq: string | number): Promise<boolean> {
    const started = new Date().toISOString();
    try {
      await executeSequence(this.dep.project, this.listener.sequence, { [this.listener.variable]: chunk as unknown as Json }, { env: this.dep.env, pool: this.dep.pool, timeoutMs: this.dep.timeoutMs, logger: this.dep.loggers.sequence });
      this.record({ at: started, connector: this.connector, listener: this.listener.name, docs: chunk.length, ok: true, lastSeq });
      this.logger.info({ listener: this.listener.name, docs: chunk.length }, `listener ${this.connector}.${this.listener.name} called ${this.listener.sequence}`);
      return true;
    } catch (e) {
      const error = (e as Error).message;
      this.record({ at: started, connector: this.connector, listener: this.listener.name, docs: chunk.length, ok: false, error, lastSeq });
      this.logger.warn({ listener: this.listener.name, err: error }, `listener ${this.connector}.${this.listener.name}: ${this.listener.sequence} failed, the chunk will be retried`);
      return false;
    }
  }

  private async saveCheckpoint(handle: CouchHandle, id: string, seq: string | number): Promise<void> {
    const current = (await handle.db.get(id).catch(() => undefined)) as { _rev?: string; seq?: unknown } | undefined;
    if (current?.seq === seq) return;
    await handle.db.put({ _id: id, ...(current?._rev ? { _rev: current._rev } : {}), seq });
  }

  private waitForChange(handle: CouchHandle, since: string | number, signal: AbortSignal): Promise<void> {
    // a stop that came while the page was being read has already fired its event: do not wait for it
    if (signal.aborted) return Promise.resolve();
    return new Promise((done) => {
      const feed = handle.db.changes({ since, live: true, limit: 1 });
      const finish = () => {
        signal.removeEventListener('abort', finish);
        feed.cancel();
        done();
      };
      signal.addEventListener('abort', finish, { once: true });
      feed.on('change', finish).on('error', finish);
    });
  }
}

/** Starts every listener of the deployment's (or the studio's project's) couch connectors. */
export function startListeners(dep: ListenerHost): ListenerSet {
  const activity: ListenerActivity[] = [];
  const record = (a: ListenerActivity) => {
    activity.push(a);
    if (activity.length > ACTIVITY_KEPT) activity.shift();
  };
  const runners: ListenerRunner[] = [];
  for (const c of dep.project.connectors) {
    if (c.kind !== 'couch') continue;
    const config = couchConfigSchema.safeParse(c.config);
    if (!config.success) continue; // the connector's own problems are reported when it opens
    for (const l of config.data.listeners) runners.push(new ListenerRunner(dep, c.name, l, dep.loggers.sequence, record));
  }
  return {
    stop: async () => {
      await Promise.all(runners.map((r) => r.stop()));
    },
    activity: () => [...activity],
  };
}
