import { projectOf } from '../../state/model.js';
import type { Studio } from '../../state/studio.js';
import { openFullsync } from '../fullsync/open-fullsync.js';
import type { MenuItem } from '../shell/Menu.js';
import { sequenceMenuItems } from './sequence-menu.js';
import type { TreeRow } from './tree-model.js';

/** The context menu of a Projects tree row (right-click, Shift+F10, the menu key). */
export function contextMenuItems(studio: Studio, row: TreeRow): MenuItem[] {
  const { project, ref } = row;
  if (row.kind === 'mappings') return [{ label: 'Open Mappings', shortcut: 'Enter', onSelect: () => studio.openMappings(project) }];
  const state = studio.state.projects[project];
  const hasConnectors = !!state && projectOf(state).connectors.length > 0;
  const items: MenuItem[] = [];
  const newItems: MenuItem[] = [];
  if (ref.type === 'connector' || ref.type === 'transaction' || ref.type === 'variable')
    newItems.push({ label: 'Transaction…', icon: 'transaction', onSelect: () => studio.newTransaction(project, ref.connector) });
  else if ((ref.type === 'project' && row.kind !== 'folder') || row.folder === 'connectors')
    newItems.push({ label: 'Transaction…', icon: 'transaction', disabled: !hasConnectors, onSelect: () => studio.newTransaction(project, null) });
  if (ref.type === 'transaction' || ref.type === 'variable') newItems.push({ label: 'Variable…', icon: 'variable', onSelect: () => studio.newVariable(project, ref) });
  const sequenceItems = sequenceMenuItems(studio, row);
  newItems.push(...sequenceItems.newItems);
  if (newItems.length) items.push({ label: 'New', icon: 'new', submenu: newItems });
  if (ref.type === 'transaction' || ref.type === 'variable' || ref.type === 'sequence' || ref.type === 'step')
    items.push({ label: 'Execute', icon: 'play', shortcut: 'F5', onSelect: () => (studio.select(project, ref), studio.execute(project, ref)) });
  items.push(...sequenceItems.items);
  if ((ref.type === 'project' && row.kind !== 'folder') || row.folder === 'connectors')
    items.push({ label: 'Import REST WS reference…', icon: 'connector', onSelect: () => studio.importOpenApi(project) });
  else if (ref.type === 'connector' && state && projectOf(state).connectors.find((c) => c.name === ref.connector)?.kind === 'http')
    items.push({ label: 'Import REST WS reference…', icon: 'connector', onSelect: () => studio.importOpenApi(project, ref.connector) });
  if ((ref.type === 'project' && row.kind !== 'folder') || row.folder === 'connectors')
    items.push({ label: 'Import WSDL…', icon: 'connector', onSelect: () => studio.importWsdl(project) });
  else if (ref.type === 'connector' && state && projectOf(state).connectors.find((c) => c.name === ref.connector)?.kind === 'soap')
    items.push({ label: 'Import WSDL…', icon: 'connector', onSelect: () => studio.importWsdl(project, ref.connector) });
  if (ref.type === 'connector' && state && projectOf(state).connectors.find((c) => c.name === ref.connector)?.kind === 'sql')
    items.push({ label: 'Generate database services…', icon: 'connector', onSelect: () => studio.generateCrud(project, ref.connector) });
  if (ref.type === 'connector' && state && projectOf(state).connectors.find((c) => c.name === ref.connector)?.kind === 'couch')
    items.push({ label: 'Open FullSync view', icon: 'connector', shortcut: 'Enter', onSelect: () => openFullsync(studio, project, ref.connector) });
  if (row.kind !== 'folder' && ref.type !== 'project') {
    items.push({ label: 'Rename', shortcut: 'F2', separatorBefore: items.length > 0, onSelect: () => (studio.select(project, ref), studio.startRename(row.key)) });
    items.push({ label: 'Duplicate', onSelect: () => void studio.duplicate(project, ref) });
    items.push({ label: 'Delete', icon: 'trash', shortcut: 'Del', onSelect: () => studio.requestDelete(project, ref) });
  }
  if (row.kind === 'project') {
    items.push({ label: 'Save', icon: 'save', shortcut: 'Ctrl+S', separatorBefore: items.length > 0, disabled: !state?.dirty, onSelect: () => void studio.save(project) });
    items.push({ label: 'Export Bundle…', separatorBefore: true, onSelect: () => studio.exportBundle(project) });
    items.push({ label: 'Deploy to Server…', onSelect: () => studio.deployToServer(project) });
    items.push({ label: 'Close Project', separatorBefore: true, onSelect: () => void studio.closeProject(project) });
  }
  return items;
}
