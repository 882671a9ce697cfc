import { mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Project } from '../model/index.js';
import { importRecordFile, readImportRecord, type ImportRecord } from '../openapi/import.js';
import { writeFileAtomic } from '../project/index.js';
import type { OpenProject } from './workspace.js';

/** Where a format keeps its records and how one is read (OpenAPI by default; wsdl.ts gives the WSDL one). */
export interface RecordFormat<R> {
  file(connector: string): string;
  read(dir: string, connector: string): Promise<R | undefined>;
}

const openApiRecords: RecordFormat<ImportRecord> = { file: importRecordFile, read: (dir, name) => readImportRecord(dir, name) };

interface Pending<R = ImportRecord> {
  record: R;
  /** the working copy right after the import: the import is in effect while this is in the history */
  after: Project;
}

interface ConnectorImports<R = ImportRecord> {
  /** the record file's text before the studio's first import of this connector (undefined: no file) */
  original: string | undefined;
  pending: Array<Pending<R>>;
}

function recordText(record: unknown): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * The records of OpenAPI imports (imports/<connector>.openapi.json: the base of the next re-import's
 * three-way merge) follow the connector they describe. A studio import is an undoable edit, so its record
 * is held here and written with project.save when the saved working copy includes that import; when
 * the import was undone, the record as it was before is put back.
 */
export class ImportRecords<R = ImportRecord> {
  private readonly projects = new Map<string, Map<string, ConnectorImports<R>>>();

  constructor(private readonly format: RecordFormat<R> = openApiRecords as unknown as RecordFormat<R>) {}

  private latestInEffect(entry: OpenProject, imports: ConnectorImports<R> | undefined): Pending<R> | undefined {
    return imports?.pending.findLast((p) => entry.inHistory(p.after));
  }

  /** The base for merging into connector `name` of the working copy: its import in effect, else the file. */
  async base(entry: OpenProject, name: string): Promise<R | undefined> {
    const pending = this.latestInEffect(entry, this.projects.get(entry.dir)?.get(name));
    return pending ? pending.record : this.format.read(entry.dir, name);
  }

  async add(entry: OpenProject, name: string, record: R, after: Project): Promise<void> {
    let byName = this.projects.get(entry.dir);
    if (!byName) this.projects.set(entry.dir, (byName = new Map()));
    let imports = byName.get(name);
    if (!imports) {
      imports = { original: await readText(join(entry.dir, this.format.file(name))), pending: [] };
      byName.set(name, imports);
    }
    imports.pending.push({ record, after });
  }

  /**
   * Called as a save starts, with the working copy being saved: writes the record of each connector the
   * studio imported since the last save (or puts back the one from before, when the import was undone).
   * Returns what to do once the project files are written; records of imports made meanwhile wait for the next save.
   */
  planSave(entry: OpenProject): () => Promise<void> {
    const byName = this.projects.get(entry.dir);
    if (!byName) return async () => undefined;
    const plan = [...byName].map(([name, imports]) => {
      const pending = this.latestInEffect(entry, imports);
      return { name, count: imports.pending.length, rel: this.format.file(name), text: pending ? recordText(pending.record) : imports.original };
    });
    return async () => {
      for (const { name, count, rel, text } of plan) {
        const path = join(entry.dir, rel);
        if (text === undefined) await rm(path, { force: true });
        else if ((await readText(path)) !== text) {
          await mkdir(dirname(path), { recursive: true });
          await writeFileAtomic(path, text);
        }
        // Saved: the disk now holds what goes with the saved connector; later undo does not reach back past a save.
        const imports = byName.get(name);
        if (!imports) continue;
        imports.pending.splice(0, count);
        if (imports.pending.length) imports.original = text;
        else byName.delete(name);
      }
    };
  }

  forget(dir: string): void {
    this.projects.delete(dir);
  }
}
