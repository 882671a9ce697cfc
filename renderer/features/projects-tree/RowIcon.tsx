import type { JSX } from 'react';
import { Icon, kindIcon, StepIcon } from '../../icons/icons.js';
import { useStudioState } from '../../state/context.js';
import { stepRowIcon, type TreeRow } from './tree-model.js';

/** The icon before a tree row's label: the object kind's, or for a step its step kind's (as on the canvas). */
export function RowIcon({ row }: { row: TreeRow }): JSX.Element {
  const stepKinds = useStudioState((s) => s.stepKinds);
  const className = `kind-icon kind-icon-${row.kind}`;
  if (row.kind === 'step') return <StepIcon icon={stepRowIcon(row, stepKinds)} className={className} />;
  if (row.kind === 'mappings') return <StepIcon icon="request" className={className} />;
  return <Icon name={row.kind === 'folder' ? (row.expanded ? 'folderOpen' : 'folder') : kindIcon(row.kind)} className={className} />;
}
