import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Disposable } from './events.js';

export const WATCH_DEBOUNCE_MS = 150;

const ROOT_FILES = ['trellis.yaml', 'mappings.yaml'];
const OBJECT_FOLDERS = ['connectors', 'sequences'];
// Node watches recursively by itself only on macOS and Windows; elsewhere it walks and re-walks the whole tree.
const NATIVE_RECURSIVE = process.platform === 'darwin' || process.platform === 'win32';

type Hashes = Map<string, string>;

async function hashFile(path: string): Promise<string | undefined> {
  try {
    return createHash('sha256').update(await readFile(path)).digest('hex');
  } catch {
    return undefined;
  }
}

/** Content hashes of the files a project is read from (hidden temp files of atomic saves excluded). */
export async function projectHashes(dir: string): Promise<Hashes> {
  const files = [...ROOT_FILES];
  for (const folder of OBJECT_FOLDERS) {
    try {
      for (const name of await readdir(join(dir, folder))) if (!name.startsWith('.') && /\.ya?ml$/.test(name)) files.push(`${folder}/${name}`);
    } catch {}
  }
  const out: Hashes = new Map();
  await Promise.all(
    files.map(async (f) => {
      const h = await hashFile(join(dir, f));
      if (h) out.set(f, h);
    }),
  );
  return out;
}

function changedFiles(before: Hashes, after: Hashes): string[] {
  const out = new Set<string>();
  for (const [f, h] of after) if (before.get(f) !== h) out.add(f);
  for (const f of before.keys()) if (!after.has(f)) out.add(f);
  return [...out].sort();
}

export interface ProjectWatcher extends Disposable {
  /** Runs our own write and takes its result as the known state, so it is not mistaken for an outside change. */
  whileWriting<T>(write: () => Promise<T>): Promise<T>;
  /** Settles once pending change checks have run (tests, shutdown). */
  idle(): Promise<void>;
}

/**
 * Watches a project folder and calls `onChange` with the files whose content really changed: events
 * are debounced, and a change is what differs from the hashes last seen or written by us. Checks
 * and our own writes run one at a time, so a save never looks like an outside edit.
 */
export async function watchProject(dir: string, onChange: (files: string[]) => Promise<void> | void, debounceMs = WATCH_DEBOUNCE_MS): Promise<ProjectWatcher> {
  let known = await projectHashes(dir);
  let queue: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let disposed = false;
  const watchers = new Map<string, FSWatcher>();

  const serial = <T>(job: () => Promise<T>): Promise<T> => {
    const run = queue.then(job, job);
    queue = run.catch(() => undefined);
    return run;
  };

  const check = () =>
    serial(async () => {
      if (disposed) return;
      const now = await projectHashes(dir);
      const files = changedFiles(known, now);
      known = now;
      if (files.length) await onChange(files);
    });

  const arm = (path: string, recursive: boolean) => {
    if (disposed || watchers.has(path)) return;
    try {
      const w = watch(path, { recursive, persistent: false }, () => schedule());
      // A watched folder that disappears (renamed, deleted) errors instead of emitting; forget it and re-arm on the next event.
      w.on('error', () => {
        w.close();
        watchers.delete(path);
      });
      watchers.set(path, w);
    } catch {}
  };

  const armAll = () => {
    if (NATIVE_RECURSIVE) return arm(dir, true);
    arm(dir, false);
    for (const folder of OBJECT_FOLDERS) arm(join(dir, folder), false);
  };

  function schedule() {
    if (disposed) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      // connectors/ or sequences/ may have just been created: watch them too.
      armAll();
      void check().catch(() => undefined);
    }, debounceMs);
  }

  armAll();
  return {
    whileWriting: (write) =>
      serial(async () => {
        try {
          return await write();
        } finally {
          known = await projectHashes(dir);
          armAll();
        }
      }),
    idle: () => serial(async () => undefined),
    dispose() {
      disposed = true;
      clearTimeout(timer);
      for (const w of watchers.values()) w.close();
      watchers.clear();
    },
  };
}
