import type { ReactNode } from 'react';

/** Inline SVG icons (16 px grid, currentColor): one per object kind plus the few the shell needs. */
export type IconName =
  | 'project'
  | 'folder'
  | 'folderOpen'
  | 'connector'
  | 'transaction'
  | 'variable'
  | 'sequence'
  | 'step'
  | 'new'
  | 'open'
  | 'save'
  | 'play'
  | 'stop'
  | 'undo'
  | 'redo'
  | 'sun'
  | 'moon'
  | 'up'
  | 'close'
  | 'chevronDown'
  | 'chevronRight'
  | 'error'
  | 'warning'
  | 'info'
  | 'search'
  | 'plus'
  | 'trash';

const paths: Record<IconName, ReactNode> = {
  project: (
    <>
      <rect x="2" y="2.5" width="12" height="11" rx="1.5" />
      <path d="M2 5.5h12M5 8.5h6M5 11h4" />
    </>
  ),
  folder: <path d="M1.5 4a1 1 0 0 1 1-1h3.6l1.4 1.5h6a1 1 0 0 1 1 1V12a1 1 0 0 1-1 1h-11a1 1 0 0 1-1-1z" />,
  folderOpen: <path d="M1.5 12.5V4a1 1 0 0 1 1-1h3.6l1.4 1.5h5a1 1 0 0 1 1 1V7M1.5 12.5l2-5.5h11l-2 5.5z" />,
  connector: (
    <>
      <path d="M6 1.5v3M10 1.5v3M4 4.5h8v3a4 4 0 0 1-8 0zM8 11.5v3" />
    </>
  ),
  transaction: (
    <>
      <path d="M2 5.5h10M9.5 3 12 5.5 9.5 8M14 10.5H4M6.5 8 4 10.5 6.5 13" />
    </>
  ),
  variable: (
    <>
      <path d="M5 2.5c-1.5 0-2 .7-2 2v1.5c0 1-.5 2-1.5 2 1 0 1.5 1 1.5 2v1.5c0 1.3.5 2 2 2M11 2.5c1.5 0 2 .7 2 2v1.5c0 1 .5 2 1.5 2-1 0-1.5 1-1.5 2v1.5c0 1.3-.5 2-2 2M6.5 6l3 4M9.5 6l-3 4" />
    </>
  ),
  sequence: (
    <>
      <rect x="1.5" y="1.5" width="5" height="4" rx="1" />
      <rect x="9.5" y="10.5" width="5" height="4" rx="1" />
      <path d="M4 5.5v3.5a1.5 1.5 0 0 0 1.5 1.5H9.5" />
    </>
  ),
  step: <rect x="3" y="4" width="10" height="8" rx="1.5" />,
  new: (
    <>
      <path d="M9 1.5H3.5a1 1 0 0 0-1 1v11a1 1 0 0 0 1 1h9a1 1 0 0 0 1-1V6z" />
      <path d="M9 1.5V6h4.5M8 8v4M6 10h4" />
    </>
  ),
  open: <path d="M1.5 12.5V4a1 1 0 0 1 1-1h3.6l1.4 1.5h5a1 1 0 0 1 1 1V7M1.5 12.5l2-5.5h11l-2 5.5z" />,
  save: (
    <>
      <path d="M2.5 2.5h9l2 2v9h-11z" />
      <path d="M5 2.5v3.5h5V2.5M5 13.5V9.5h6v4" />
    </>
  ),
  play: <path d="M4.5 2.5v11l9-5.5z" fill="currentColor" />,
  stop: <rect x="3.5" y="3.5" width="9" height="9" rx="1" fill="currentColor" />,
  undo: <path d="M5.5 3 2.5 6l3 3M2.5 6H10a3.5 3.5 0 0 1 0 7H6" />,
  redo: <path d="M10.5 3l3 3-3 3M13.5 6H6a3.5 3.5 0 0 0 0 7h4" />,
  sun: (
    <>
      <circle cx="8" cy="8" r="3" />
      <path d="M8 1v2M8 13v2M1 8h2M13 8h2M3 3l1.4 1.4M11.6 11.6 13 13M3 13l1.4-1.4M11.6 4.4 13 3" />
    </>
  ),
  moon: <path d="M13.5 10A6 6 0 0 1 6 2.5a6 6 0 1 0 7.5 7.5z" />,
  up: <path d="M8 13.5v-11M3.5 7 8 2.5 12.5 7" />,
  close: <path d="M4 4l8 8M12 4l-8 8" />,
  chevronDown: <path d="M4 6l4 4 4-4" />,
  chevronRight: <path d="M6 4l4 4-4 4" />,
  error: (
    <>
      <circle cx="8" cy="8" r="6.5" />
      <path d="M5.5 5.5l5 5M10.5 5.5l-5 5" />
    </>
  ),
  warning: (
    <>
      <path d="M8 1.5 15 14H1z" />
      <path d="M8 6v4M8 11.5v1" />
    </>
  ),
  info: (
    <>
      <circle cx="8" cy="8" r="6.5" />
      <path d="M8 7v4.5M8 4.5v1" />
    </>
  ),
  search: (
    <>
      <circle cx="7" cy="7" r="4.5" />
      <path d="M10.5 10.5 14 14" />
    </>
  ),
  plus: <path d="M8 3v10M3 8h10" />,
  trash: <path d="M2.5 4h11M6 4V2.5h4V4M4 4l.8 9.5h6.4L12 4" />,
};

export function Icon(props: { name: IconName; className?: string; title?: string }) {
  return (
    <svg
      className={`icon icon-${props.name}${props.className ? ` ${props.className}` : ''}`}
      width="16"
      height="16"
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.3"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden={props.title ? undefined : true}
      role={props.title ? 'img' : undefined}
      aria-label={props.title}
      focusable="false"
    >
      {paths[props.name]}
    </svg>
  );
}

/** The icon of an object kind in the tree, quick open and tabs. */
export function kindIcon(kind: string): IconName {
  switch (kind) {
    case 'project':
    case 'connector':
    case 'transaction':
    case 'variable':
    case 'sequence':
    case 'step':
      return kind;
    case 'sequenceVariable':
      return 'variable';
    case 'folder':
      return 'folder';
    default:
      return 'step';
  }
}
