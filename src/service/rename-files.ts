import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isMap, isSeq, parseDocument, type Document } from 'yaml';
import { MAPPINGS_FILE } from '../model/index.js';
import { writeFileAtomic } from '../project/index.js';
import { TESTS_DIR } from '../project/tests.js';
import { STRINGIFY_OPTIONS } from '../project/yaml-io.js';
import { renamedOwner, type OwnerRename } from './rename-references.js';
import { SCHEMAS_DIR } from './schemas.js';

type Edits = readonly (readonly OwnerRename[])[];

/**
 * The files beside the model that name transactions and sequences follow their renames at save time:
 * mappings.yaml targets, the `target:` of tests/*.yaml and the names of schemas/<owner>.json. YAML is
 * edited in place (comments and layout stay); a file that does not parse is left as it is, since
 * loading reports it anyway. Every write is atomic.
 */
export async function applyRenamesToFiles(dir: string, edits: Edits): Promise<string[]> {
  if (!edits.length) return [];
  const changed: string[] = [];
  if (await rewriteYaml(join(dir, MAPPINGS_FILE), (doc) => renameMappingTargets(doc, edits))) changed.push(MAPPINGS_FILE);
  for (const name of await yamlFiles(join(dir, TESTS_DIR)))
    if (await rewriteYaml(join(dir, TESTS_DIR, name), (doc) => renameTestTarget(doc, edits))) changed.push(`${TESTS_DIR}/${name}`);
  changed.push(...(await renameSchemaFiles(dir, edits)));
  return changed;
}

async function yamlFiles(folder: string): Promise<string[]> {
  const names = await readdir(folder).catch(() => [] as string[]);
  return names.filter((n) => /\.ya?ml$/.test(n) && !n.startsWith('.')).sort();
}

/** Parses the file, lets `edit` change the document, writes it back when `edit` says it changed something. */
async function rewriteYaml(path: string, edit: (doc: Document) => boolean): Promise<boolean> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return false;
  const doc = parseDocument(text);
  if (doc.errors.length || !edit(doc)) return false;
  await writeFileAtomic(path, doc.toString(STRINGIFY_OPTIONS));
  return true;
}

function renameMappingTargets(doc: Document, edits: Edits): boolean {
  const routes = doc.get('routes');
  if (!isSeq(routes)) return false;
  let changed = false;
  for (const route of routes.items) {
    const target = isMap(route) ? route.get('target') : undefined;
    if (!isMap(target)) continue;
    for (const owner of ['transaction', 'sequence'] as const) {
      const name = target.get(owner);
      if (typeof name !== 'string') continue;
      const next = renamedOwner(name, edits, owner);
      if (next !== name) {
        target.set(owner, next);
        changed = true;
      }
    }
  }
  return changed;
}

function renameTestTarget(doc: Document, edits: Edits): boolean {
  const target = doc.get('target');
  if (typeof target !== 'string') return false;
  const next = renamedOwner(target, edits);
  if (next === target) return false;
  doc.set('target', next);
  return true;
}

/** Moves every schemas/<owner>.json whose owner was renamed; all are read before any is written, so swapped names do not clash. */
async function renameSchemaFiles(dir: string, edits: Edits): Promise<string[]> {
  const folder = join(dir, SCHEMAS_DIR);
  const names = (await readdir(folder).catch(() => [] as string[])).filter((n) => n.endsWith('.json') && !n.startsWith('.'));
  const moves: Array<{ from: string; to: string; data: Buffer }> = [];
  for (const name of names) {
    const owner = name.slice(0, -'.json'.length);
    const next = renamedOwner(owner, edits);
    if (next !== owner) moves.push({ from: name, to: `${next}.json`, data: await readFile(join(folder, name)) });
  }
  // New names first, so a crash in between leaves a copy rather than nothing.
  for (const m of moves) await writeFileAtomic(join(folder, m.to), m.data);
  const targets = new Set(moves.map((m) => m.to));
  for (const m of moves) if (!targets.has(m.from)) await rm(join(folder, m.from), { force: true });
  return moves.map((m) => `${SCHEMAS_DIR}/${m.to}`);
}
