import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { TrellisError } from '../../engine/errors.js';

/**
 * Views are files in the project, one per view: `fullsync/<database>/<design>/<view>.js`. A file defines
 * `function map(doc) { ... emit(key, value) ... }` and may define `reduce`: a built-in name ('_count', '_sum',
 * '_stats') or `function reduce(keys, values, rereduce)`. They run in the JS steps' sandbox (embedded store)
 * or as design documents on CouchDB (synced on deploy).
 */
export interface ViewSource {
  design: string;
  view: string;
  code: string;
  mtimeMs: number;
}

const PART = /^[A-Za-z0-9_.-]+$/;

export function viewsFolder(projectDir: string, database: string): string {
  return resolve(projectDir, 'fullsync', database);
}

export function viewFile(projectDir: string, database: string, design: string, view: string): string {
  if (!PART.test(design) || !PART.test(view) || design.startsWith('.') || view.startsWith('.'))
    throw new TrellisError('INVALID_CONFIG', `view ${design}/${view}: design and view names are letters, digits, _ . - (not starting with .)`);
  return join(viewsFolder(projectDir, database), design, `${view}.js`);
}

export async function readView(projectDir: string, database: string, name: string): Promise<ViewSource> {
  const [design, view] = name.split('/') as [string, string];
  const file = viewFile(projectDir, database, design, view ?? '');
  try {
    const [code, info] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
    return { design, view: view!, code, mtimeMs: info.mtimeMs };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new TrellisError('NOT_FOUND', `view ${name}: no file fullsync/${database}/${design}/${view}.js in the project`);
    throw e;
  }
}

/** Every view file of a database, as `design/view` names. */
export async function listViews(projectDir: string, database: string): Promise<string[]> {
  const root = viewsFolder(projectDir, database);
  const out: string[] = [];
  let designs: string[];
  try {
    designs = (await readdir(root, { withFileTypes: true })).filter((d) => d.isDirectory() && PART.test(d.name)).map((d) => d.name);
  } catch {
    return [];
  }
  for (const design of designs.sort()) {
    for (const f of (await readdir(join(root, design))).sort()) {
      if (f.endsWith('.js') && PART.test(f.slice(0, -3))) out.push(`${design}/${f.slice(0, -3)}`);
    }
  }
  return out;
}

export const BUILTIN_REDUCES = ['_count', '_sum', '_stats'] as const;

/** The reduce a view file declares: a built-in name, 'js' for a function, or undefined. Read from the source. */
export function declaredReduce(code: string): string | undefined {
  const builtin = /(?:^|\n)\s*(?:const|let|var)\s+reduce\s*=\s*['"](_count|_sum|_stats)['"]/.exec(code);
  if (builtin) return builtin[1];
  if (/(?:^|\n)\s*(?:function\s+reduce\s*\(|(?:const|let|var)\s+reduce\s*=)/.test(code)) return 'js';
  return undefined;
}

/**
 * The CouchDB design document of a design folder: each view's map and reduce wrap the file so CouchDB (and a
 * PouchDB device) runs the same code the embedded store runs.
 */
export function designDocument(design: string, views: ViewSource[]): { _id: string; language: 'javascript'; views: Record<string, { map: string; reduce?: string }> } {
  const out: Record<string, { map: string; reduce?: string }> = {};
  for (const v of views) {
    const reduce = declaredReduce(v.code);
    out[v.view] = {
      map: `function (doc) {\n${v.code}\nmap(doc);\n}`,
      ...(reduce === undefined ? {} : reduce === 'js' ? { reduce: `function (keys, values, rereduce) {\n${v.code}\nreturn reduce(keys, values, rereduce);\n}` } : { reduce }),
    };
  }
  return { _id: `_design/${design}`, language: 'javascript', views: out };
}
