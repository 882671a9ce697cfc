import type { ObjectRef, ProjectState, StepKindInfo } from '../../src/contract/index.js';
import type { KindsList } from '../api/client.js';

/** The studio's state, as the views read it (studio.ts changes it). */
export interface Selection {
  project: string;
  ref: ObjectRef;
  /** the tree row: the object's key, or a folder's key (whose ref is then the project) */
  key: string;
}

export type DialogState =
  | { type: 'newProject' }
  | { type: 'openProject' }
  | { type: 'newTransaction'; project: string; connector: string | null }
  | { type: 'newVariable'; project: string; connector: string; transaction: string }
  | { type: 'confirmDelete'; project: string; ref: ObjectRef; label: string }
  | { type: 'importOpenApi'; project: string; connector?: string }
  | { type: 'importWsdl'; project: string; connector?: string }
  | { type: 'exportBundle'; project: string }
  | { type: 'deployBundle'; project: string }
  | { type: 'generateCrud'; project: string; connector: string }
  | { type: 'quickOpen' };

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  message: string;
  /** where it happened, e.g. shop/connectors/rest */
  where?: string;
}

export interface Tab {
  key: string;
  project: string;
  ref: ObjectRef;
  /** a preview tab is replaced by the next selection; Enter or a double-click pins it */
  preview: boolean;
  /** a tab over a project file rather than an object (ref is then the project) */
  view?: 'mappings';
}

export interface RunState {
  project: string | null;
  /** `<connector>.<transaction>`, or a sequence name when `targetType` is 'sequence' */
  target: string | null;
  targetType: 'transaction' | 'sequence';
  runRequest: number;
  stopRequest: number;
  running: boolean;
  last: null | { project: string; target: string; ok: boolean; ms: number; status?: number; at: number };
}

export type BottomTab = 'response' | 'output' | 'problems' | 'sources' | 'tests' | 'history' | 'schedules';

/** The step property the source picker writes to: `path` inside the step, e.g. ['props', 'variables', 'id']. */
export interface SourcePick {
  project: string;
  sequence: string;
  step: string;
  path: string[];
}
export type Theme = 'light' | 'dark';

export interface StudioState {
  ready: boolean;
  /** open project folders, in opening order */
  order: readonly string[];
  projects: Readonly<Record<string, ProjectState>>;
  selection: Selection | null;
  expanded: ReadonlySet<string>;
  kinds: KindsList | null;
  home: string;
  osTheme: Theme;
  themeOverride: Theme | null;
  dialog: DialogState | null;
  /** the tree row being renamed inline */
  renaming: string | null;
  tabs: readonly Tab[];
  activeTab: string | null;
  bottomTab: BottomTab;
  run: RunState;
  connected: boolean;
  notice: Notice | null;
  /** increments to ask the tree to take the keyboard focus */
  treeFocusRequest: number;
  /** step kinds for the palette and the step property forms (steps.list) */
  stepKinds: readonly StepKindInfo[] | null;
  /** the property the source picker sets */
  sourcePick: SourcePick | null;
  /** `<project>\u0001<owner>` of the transactions and sequences executed in this session (schema.update needs a last result) */
  executed: ReadonlySet<string>;
  /** increments when a stored schema changed (schema.update) */
  schemasVersion: number;
}
