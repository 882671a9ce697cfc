import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { TrellisError } from '../engine/errors.js';
import {
  connectorSchema,
  FORMAT_VERSION,
  nameSchema,
  projectFileSchema,
  sequenceSchema,
  type Connector,
  type Project,
  type ProjectFile,
  type Sequence,
} from '../model/index.js';
import { removeStaleTempFiles, writeFileAtomic } from './atomic-write.js';
import { connectorFindings, sequenceFindings } from './checks.js';
import { issueFindings, type Finding } from './issues.js';
import { connectorDocument, projectFileDocument, projectFields, sequenceDocument } from './layout.js';
import { mergeOnto } from './merge.js';
import { CONNECTORS_DIR, objectFile, OBJECT_EXT, PROJECT_FILE, SEQUENCES_DIR, type ObjectFolder } from './paths.js';
import { parseYaml, STRINGIFY_OPTIONS } from './yaml-io.js';

/** What it takes to write one kind of file: validate the model, lay it out, check what reads back. */
interface FileKind<T> {
  schema: z.ZodType<T>;
  rules(value: T): Finding[];
  document(value: T): Document;
}

const CONNECTOR: FileKind<Connector> = { schema: connectorSchema, rules: connectorFindings, document: connectorDocument };
const SEQUENCE: FileKind<Sequence> = { schema: sequenceSchema, rules: sequenceFindings, document: sequenceDocument };
const PROJECT_FILE_KIND: FileKind<ProjectFile> = { schema: projectFileSchema, rules: () => [], document: projectFileDocument };

/** A file ready to be written: validated, with its text still to be decided against the disk. */
interface Pending<T> {
  file: string;
  kind: FileKind<T>;
  value: T;
}

/** Writes trellis.yaml, every connector and every sequence, then removes the files of objects no longer in the model. */
export async function saveProject(project: Project): Promise<void> {
  refuseOtherFormats(project);
  uniqueNames(project.connectors.map((c) => c.name), CONNECTORS_DIR);
  uniqueNames(project.sequences.map((s) => s.name), SEQUENCES_DIR);
  // Every object is checked before the first write, so an invalid one leaves the folder untouched.
  const pending: Pending<unknown>[] = [
    prepare(PROJECT_FILE, PROJECT_FILE_KIND, projectFields(project)),
    ...project.connectors.map((c) => prepare(objectFile(CONNECTORS_DIR, checkedName(c.name)), CONNECTOR, c)),
    ...project.sequences.map((s) => prepare(objectFile(SEQUENCES_DIR, checkedName(s.name)), SEQUENCE, s)),
  ];
  await mkdir(join(project.dir, CONNECTORS_DIR), { recursive: true });
  await mkdir(join(project.dir, SEQUENCES_DIR), { recursive: true });
  for (const p of pending) await write(project.dir, p);
  await removeDropped(project.dir, CONNECTORS_DIR, new Set(project.connectors.map((c) => c.name)), CONNECTOR);
  await removeDropped(project.dir, SEQUENCES_DIR, new Set(project.sequences.map((s) => s.name)), SEQUENCE);
  for (const folder of ['', CONNECTORS_DIR, SEQUENCES_DIR]) await removeStaleTempFiles(join(project.dir, folder));
}

/** Writes trellis.yaml only. */
export async function saveProjectFile(project: Project): Promise<void> {
  refuseOtherFormats(project);
  await write(project.dir, prepare(PROJECT_FILE, PROJECT_FILE_KIND, projectFields(project)));
}

export async function saveConnector(dir: string, connector: Connector): Promise<void> {
  await mkdir(join(dir, CONNECTORS_DIR), { recursive: true });
  await write(dir, prepare(objectFile(CONNECTORS_DIR, checkedName(connector.name)), CONNECTOR, connector));
}

export async function saveSequence(dir: string, sequence: Sequence): Promise<void> {
  await mkdir(join(dir, SEQUENCES_DIR), { recursive: true });
  await write(dir, prepare(objectFile(SEQUENCES_DIR, checkedName(sequence.name)), SEQUENCE, sequence));
}

export async function deleteConnectorFile(dir: string, name: string): Promise<void> {
  await rm(join(dir, objectFile(CONNECTORS_DIR, checkedName(name))), { force: true });
}

export async function deleteSequenceFile(dir: string, name: string): Promise<void> {
  await rm(join(dir, objectFile(SEQUENCES_DIR, checkedName(name))), { force: true });
}

/**
 * Only a model in the current format is written: a newer project was not read (its objects are
 * missing from the model), and an older one is migrated by loadProject first.
 */
function refuseOtherFormats(project: Project): void {
  if (project.formatVersion === FORMAT_VERSION) return;
  const why =
    project.formatVersion > FORMAT_VERSION
      ? `was written by a newer Trellis (formatVersion ${project.formatVersion}; this one supports ${FORMAT_VERSION})`
      : `is in formatVersion ${project.formatVersion}, which was not migrated to ${FORMAT_VERSION}`;
  throw new TrellisError('INVALID_PROJECT', `${project.name} ${why}: saving is refused so that its files are not overwritten`, { path: project.dir });
}

/** Names become file names: a bad one could write outside the folder. */
function checkedName(name: string): string {
  const result = nameSchema.safeParse(name);
  if (!result.success) throw new TrellisError('INVALID_PROJECT', `${JSON.stringify(name)} is not a valid name: ${result.error.issues[0]?.message}`);
  return name;
}

function uniqueNames(names: readonly string[], folder: ObjectFolder): void {
  const seen = new Map<string, string>();
  for (const name of names) {
    // Case-insensitive, because two such files are one file on Windows and macOS.
    const other = seen.get(name.toLowerCase());
    if (other !== undefined)
      throw new TrellisError('INVALID_PROJECT', `${folder}: "${name}" and "${other}" would be the same file; names must differ by more than case`, { path: folder });
    seen.set(name.toLowerCase(), name);
  }
}

function prepare<T>(file: string, kind: FileKind<T>, model: T): Pending<T> {
  const result = kind.schema.safeParse(model);
  const findings = result.success ? kind.rules(result.data) : issueFindings(result.error.issues, model, kind.schema);
  if (!result.success || findings.length)
    throw new TrellisError('INVALID_PROJECT', `cannot save ${file}: ${findings.map((f) => f.message).join('; ')}`, { path: file, details: findings });
  return { file, kind, value: result.data };
}

/**
 * Writes one file. When the file exists, the model is laid over it so comments and hand-made
 * layout survive; either way the text must read back as the same model, or the canonical text
 * (or, failing that, an error) is used instead. An unchanged file is not touched at all.
 */
async function write<T>(dir: string, { file, kind, value }: Pending<T>): Promise<void> {
  const path = join(dir, file);
  const current = await readFile(path, 'utf8').catch(() => undefined);
  const expected = normalize(kind.schema, value);
  const readsBack = (text: string) => isDeepStrictEqual(normalize(kind.schema, parseDocument(text).toJS()), expected);
  let text: string | undefined;
  if (current !== undefined) {
    try {
      const doc = parseDocument(current, { prettyErrors: false });
      if (!doc.errors.length) {
        // The file already says exactly this, perhaps in its own words: leave it alone.
        if (isDeepStrictEqual(normalize(kind.schema, doc.toJS({ maxAliasCount: 1000 })), expected)) return;
        text = mergeOnto(current, doc, kind.document(value)).find(readsBack);
      }
    } catch {}
  }
  if (text === undefined) {
    text = kind.document(value).toString(STRINGIFY_OPTIONS);
    if (!readsBack(text)) throw new TrellisError('INTERNAL', `cannot save ${file}: its YAML does not read back as the same object`, { path: file });
  }
  try {
    await writeFileAtomic(path, text);
  } catch (e) {
    throw new TrellisError('INTERNAL', `cannot save ${file}: ${e instanceof Error ? e.message : String(e)}`, { path: file, cause: e });
  }
}

/** The value as it reads back from disk: defaults applied, undefined keys gone. */
function normalize<T>(schema: z.ZodType<T>, value: unknown): unknown {
  const result = schema.safeParse(value);
  return result.success ? JSON.parse(JSON.stringify(result.data)) : { invalid: result.error.issues.length };
}

/**
 * Deletes the files of objects no longer in the model, but only files that hold a valid object: a
 * malformed file never made it into the model, so removing it would destroy the user's text
 * instead of an object they deleted.
 */
async function removeDropped<T>(dir: string, folder: ObjectFolder, keep: ReadonlySet<string>, kind: FileKind<T>): Promise<void> {
  const names = await readdir(join(dir, folder)).catch(() => [] as string[]);
  for (const entry of names) {
    if (entry.startsWith('.') || !entry.endsWith(OBJECT_EXT)) continue;
    const name = entry.slice(0, -OBJECT_EXT.length);
    if (keep.has(name)) continue;
    const path = join(dir, folder, entry);
    const text = await readFile(path, 'utf8').catch(() => undefined);
    if (text !== undefined && holdsValidObject(text, name, kind)) await rm(path, { force: true });
  }
}

/** Whether loadProject would take the file for a valid object. */
function holdsValidObject<T>(text: string, name: string, kind: FileKind<T>): boolean {
  const parsed = parseYaml('', text, '');
  if (!parsed.value || parsed.problems.some((p) => p.severity === 'error')) return false;
  const result = kind.schema.safeParse({ ...parsed.value, name });
  return result.success && !kind.rules(result.data).length;
}
