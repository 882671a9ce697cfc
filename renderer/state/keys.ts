import type { ObjectRef } from '../../src/contract/index.js';

/** Stable keys of tree rows and tabs: `<project dir>\u0001<path inside the project>`. Names never hold '/'. */
export type FolderName = 'connectors' | 'sequences';

const SEP = '\u0001';

export function refKey(project: string, ref: ObjectRef): string {
  return `${project}${SEP}${refSuffix(ref)}`;
}

export function folderKey(project: string, folder: FolderName): string {
  return `${project}${SEP}f:${folder}`;
}

/** The key of a project's Mappings row and tab (mappings.yaml). */
export function mappingsKey(project: string): string {
  return `${project}${SEP}m`;
}

export function projectOfKey(key: string): string {
  return key.slice(0, key.indexOf(SEP));
}

function refSuffix(ref: ObjectRef): string {
  switch (ref.type) {
    case 'project':
      return 'p';
    case 'connector':
      return `c/${ref.connector}`;
    case 'transaction':
      return `c/${ref.connector}/t/${ref.transaction}`;
    case 'variable':
      return `c/${ref.connector}/t/${ref.transaction}/v/${ref.variable}`;
    case 'sequence':
      return `s/${ref.sequence}`;
    case 'sequenceVariable':
      return `s/${ref.sequence}/v/${ref.variable}`;
    case 'step':
      return `s/${ref.sequence}/st/${ref.step}`;
  }
}

/** Keys of the rows that must be expanded for `ref` to be visible in the tree. */
export function ancestorKeys(project: string, ref: ObjectRef, stepPath: readonly string[] = []): string[] {
  const keys = [refKey(project, { type: 'project' })];
  switch (ref.type) {
    case 'project':
      return [];
    case 'connector':
      return [...keys, folderKey(project, 'connectors')];
    case 'transaction':
      return [...keys, folderKey(project, 'connectors'), refKey(project, { type: 'connector', connector: ref.connector })];
    case 'variable':
      return [
        ...keys,
        folderKey(project, 'connectors'),
        refKey(project, { type: 'connector', connector: ref.connector }),
        refKey(project, { type: 'transaction', connector: ref.connector, transaction: ref.transaction }),
      ];
    case 'sequence':
      return [...keys, folderKey(project, 'sequences')];
    case 'sequenceVariable':
    case 'step':
      return [
        ...keys,
        folderKey(project, 'sequences'),
        refKey(project, { type: 'sequence', sequence: ref.sequence }),
        ...stepPath.map((step) => refKey(project, { type: 'step', sequence: ref.sequence, step })),
      ];
  }
}
