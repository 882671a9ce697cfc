import { FORMAT_VERSION } from '../model/index.js';

/** A project as read from disk, before validation: trellis.yaml plus one value per object file. */
export interface RawProject {
  project: unknown;
  connectors: unknown[];
  sequences: unknown[];
}

/**
 * One step of the on-disk format. `migrate` may reshape every value but must return the
 * connectors and sequences in the same order and number: each stays tied to the file it came from,
 * so problems still name the right file.
 */
export interface Migration {
  from: number;
  to: number;
  description: string;
  migrate(raw: RawProject): RawProject;
}

/** Every format step, oldest first; the last one ends at FORMAT_VERSION. */
export const MIGRATIONS: readonly Migration[] = [
  {
    from: 0,
    to: 1,
    description: 'formatVersion appears in trellis.yaml; projects written before it have the same shape',
    migrate: (raw) => raw,
  },
];

/**
 * Brings a raw project from `version` up to FORMAT_VERSION, in memory. Files are left as they are
 * until the next save, so opening an old project with a new Trellis changes nothing on disk.
 */
export function migrate(raw: RawProject, version: number): RawProject {
  let current = raw;
  let at = version;
  while (at < FORMAT_VERSION) {
    const step = MIGRATIONS.find((m) => m.from === at);
    if (!step) throw new Error(`no migration from formatVersion ${at}`);
    const next = step.migrate(current);
    if (next.connectors.length !== current.connectors.length || next.sequences.length !== current.sequences.length)
      throw new Error(`migration ${step.from} → ${step.to} changed the number of connectors or sequences`);
    current = { ...next, project: withVersion(next.project, step.to) };
    at = step.to;
  }
  return current;
}

function withVersion(project: unknown, version: number): unknown {
  return project !== null && typeof project === 'object' && !Array.isArray(project) ? { ...project, formatVersion: version } : project;
}
