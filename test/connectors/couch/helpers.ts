import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A project folder on disk with the given files (path → text), in a fresh temp dir. */
export function writeProject(files: Record<string, string>, prefix = 'trellis-couch-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const [path, text] of Object.entries(files)) {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return dir;
}

/** trellis.yaml + connectors/docs.yaml: an embedded couch connector with one transaction per operation. */
export function couchProject(name = 'notes', extraConfig = ''): Record<string, string> {
  return {
    'trellis.yaml': `name: ${name}\nformatVersion: 1\n`,
    'connectors/docs.yaml': `name: docs
kind: couch
config:
  database: notes
${extraConfig}transactions:
  - { name: get, operation: get }
  - { name: put, operation: put }
  - { name: putMerge, operation: put, policy: merge }
  - { name: putOverride, operation: put, policy: override }
  - { name: create, operation: put, policy: create }
  - { name: remove, operation: delete }
  - { name: bulk, operation: bulkPost, policy: merge, updateOnlyIfChanged: true }
  - { name: all, operation: allDocs }
  - { name: byTag, operation: view, view: notes/byTag }
  - { name: countByTag, operation: view, view: notes/countByTag }
  - { name: lengths, operation: view, view: notes/lengths }
  - { name: find, operation: find }
  - { name: changes, operation: changes }
`,
    'fullsync/notes/notes/byTag.js': `function map(doc) {\n  if (Array.isArray(doc.tags)) for (const t of doc.tags) emit(t, doc.title);\n}\n`,
    'fullsync/notes/notes/countByTag.js': `function map(doc) {\n  for (const t of doc.tags || []) emit([t, doc.title], 1);\n}\nconst reduce = '_count';\n`,
    'fullsync/notes/notes/lengths.js': `function map(doc) {\n  if (doc.title) emit(doc.title.length, doc.title);\n}\nfunction reduce(keys, values, rereduce) {\n  return values.join('+');\n}\n`,
  };
}
