import { posix } from 'node:path';

/** The fixed names of a project folder (DESIGN.md, "Project on disk"). */
export const PROJECT_FILE = 'trellis.yaml';
export const CONNECTORS_DIR = 'connectors';
export const SEQUENCES_DIR = 'sequences';
export const FILES_DIR = 'files';
export const OBJECT_EXT = '.yaml';

export type ObjectFolder = typeof CONNECTORS_DIR | typeof SEQUENCES_DIR;

/** The project-relative, posix-separated path problems and errors name. */
export function objectFile(folder: ObjectFolder, name: string): string {
  return posix.join(folder, `${name}${OBJECT_EXT}`);
}
