import { projectOf } from '../../state/model.js';
import type { Studio } from '../../state/studio.js';

/**
 * Opens the FullSync view: the tab of a couch connector (that connector, or the first of the selected project),
 * pinned and revealed in the tree. Says where to go when the project has none.
 */
export function openFullsync(studio: Studio, project?: string, connector?: string): void {
  const dir = project ?? studio.state.selection?.project ?? studio.state.order[0];
  const state = dir ? studio.state.projects[dir] : undefined;
  if (!dir || !state) {
    studio.notify('error', 'FullSync view: open a project first (Ctrl+O)');
    return;
  }
  const couch = projectOf(state).connectors.filter((c) => c.kind === 'couch');
  const target = connector ?? couch[0]?.name;
  if (!target) {
    studio.notify('error', `FullSync view: project ${projectOf(state).name} has no couch connector; add one with New › Transaction… or \`trellis add connector <dir> <name> --kind couch\``, dir);
    return;
  }
  studio.select(dir, { type: 'connector', connector: target }, { pin: true, reveal: true });
}
