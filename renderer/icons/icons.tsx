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

/**
 * Step kind icons, by the `icon` id each kind declares (steps.list): the canvas, the palette, the source
 * picker and the Projects tree all draw a step with these.
 */
/** a page with a folded corner, under the file step icons */
const FILE = 'M3.5 1.5h6l3 3v10h-9zM9.5 1.5v3h3';

const stepPaths: Record<string, ReactNode> = {
  branch: <path d="M4 2v12M4 7c0-2 2-3 4-3h4M10 2l2 2-2 2M4 10c0 1.5 1.5 2.5 3.5 2.5H12M10 10.5l2 2-2 2" />,
  loop: <path d="M3 8a5 5 0 0 1 8.5-3.5L13 6M13 2.5V6H9.5M13 8a5 5 0 0 1-8.5 3.5L3 10M3 13.5V10h3.5" />,
  break: <path d="M3 8h6M7 5l3 3-3 3M13 3v10" />,
  continue: <path d="M2.5 8h9M9 5l3 3-3 3M3 3v3M3 10v3" />,
  shield: <path d="M8 1.5 13.5 3.5v4c0 3.5-2.5 5.8-5.5 7-3-1.2-5.5-3.5-5.5-7v-4z" />,
  catch: <path d="M3 3v5a5 5 0 0 0 10 0V3M3 3h3M10 3h3M8 6v4" />,
  finally: <path d="M3 3h10M3 8h10M3 13h6M12 11l2 2-2 2" />,
  parallel: <path d="M2 4h12M2 8h12M2 12h12M5 2v12M11 2v12" />,
  return: <path d="M13 3v5a2 2 0 0 1-2 2H3M6 7l-3 3 3 3" />,
  code: <path d="M5.5 4 2 8l3.5 4M10.5 4 14 8l-3.5 4M9 2.5 7 13.5" />,
  variable: <path d="M3 4h4l2 8h4M3 12l6-8" />,
  braces: <path d="M6 2.5c-1.5 0-2 .7-2 2v1.5c0 1-.5 2-1.5 2 1 0 1.5 1 1.5 2v1.5c0 1.3.5 2 2 2M10 2.5c1.5 0 2 .7 2 2v1.5c0 1 .5 2 1.5 2-1 0-1.5 1-1.5 2v1.5c0 1.3-.5 2-2 2" />,
  brackets: <path d="M6 2.5H3.5v11H6M10 2.5h2.5v11H10" />,
  value: <path d="M3 5.5h4M5 3.5v4M9 12.5l4-9M3 11h4" />,
  output: <path d="M9 2.5h4.5v11H9M2 8h8M7 5l3 3-3 3" />,
  log: <path d="M3 2.5h10v11H3zM5.5 5.5h5M5.5 8h5M5.5 10.5h3" />,
  clock: (
    <>
      <circle cx="8" cy="8" r="6" />
      <path d="M8 4.5V8l2.5 1.5" />
    </>
  ),
  alert: <path d="M8 2 14.5 13.5h-13zM8 6.5v3.5M8 11.8v.2" />,
  comment: <path d="M2.5 3h11v7.5H7L4 13v-2.5H2.5z" />,
  start: <path d="M5 3v10l8-5z" />,
  'file-json': <path d={`${FILE}M7 7.5c-.8 0-1 .4-1 1s-.3 1-.8 1c.5 0 .8.4.8 1s.2 1 1 1M9 7.5c.8 0 1 .4 1 1s.3 1 .8 1c-.5 0-.8.4-.8 1s-.2 1-1 1`} />,
  'file-csv': <path d={`${FILE}M5.5 8.5h5M5.5 11h5M8 7v5.5`} />,
  'file-xml': <path d={`${FILE}M6.5 8 5 9.75l1.5 1.75M9.5 8 11 9.75 9.5 11.5`} />,
  'file-copy': <path d="M6 4.5h4.5L13 7v7.5H6zM3.5 11.5v-10h5" />,
  'file-delete': <path d={`${FILE}M6 8l4 4M10 8l-4 4`} />,
  'file-move': <path d={`${FILE}M5 10h5M8.5 8.5 10 10l-1.5 1.5`} />,
  filter: <path d="M2 3h12L9.5 8.5v5l-3-1.5V8.5z" />,
  hash: <path d="M6.5 2.5 5 13.5M11 2.5l-1.5 11M2.5 6h11M2 10.5h11" />,
  id: <path d="M1.5 3.5h13v9h-13zM4.5 6.5v3.5M7 6.5h1.5a1.75 1.75 0 0 1 0 3.5H7z" />,
  request: <path d="M1.5 8h8M7 5l3 3-3 3M11.5 2.5h2v11h-2" />,
  response: <path d="M14.5 8h-8M9 5 6 8l3 3M4.5 2.5h-2v11h2" />,
  session: (
    <>
      <circle cx="5" cy="8" r="3" />
      <path d="M8 8h6.5M12.5 8v2.5M14.5 8v2" />
    </>
  ),
  sort: <path d="M4 2.5v11M2 11.5l2 2 2-2M9 4h5M9 8h3.5M9 12h2" />,
  transform: (
    <>
      <rect x="1.5" y="1.5" width="5" height="5" rx="1" />
      <circle cx="11.5" cy="11.5" r="2.8" />
      <path d="M9 4h3.5v3M7 12H4V9" />
    </>
  ),
  user: (
    <>
      <circle cx="8" cy="5" r="2.8" />
      <path d="M2.5 14c.5-3 2.8-4.5 5.5-4.5s5 1.5 5.5 4.5" />
    </>
  ),
  xml: <path d="M4.5 5 1.5 8l3 3M11.5 5l3 3-3 3M9 3.5l-2 9" />,
  'xml-attribute': <path d="M4.5 5 1.5 8l3 3M11.5 5l3 3-3 3M6 7h4M6 9.5h4" />,
};

/** Step icon ids drawn like an object kind: a call is a transaction, a called sequence a sequence, List Files a folder. */
const stepAsObject: Record<string, IconName> = { call: 'transaction', sequence: 'sequence', folder: 'folder' };

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

function Svg(props: { className: string; title?: string; children: ReactNode }) {
  return (
    <svg
      className={props.className}
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
      {props.children}
    </svg>
  );
}

export function Icon(props: { name: IconName; className?: string; title?: string }) {
  return (
    <Svg className={`icon icon-${props.name}${props.className ? ` ${props.className}` : ''}`} title={props.title}>
      {paths[props.name]}
    </Svg>
  );
}

function stepIconPath(icon: string | undefined): ReactNode {
  if (!icon) return paths.step;
  const shared = stepAsObject[icon];
  return stepPaths[icon] ?? (shared ? paths[shared] : paths.step);
}

/** A step drawn with its kind's icon id (steps.list `icon`); an unknown or missing id gets the generic step icon. */
export function StepIcon(props: { icon: string | undefined; className?: string; title?: string }) {
  return (
    <Svg className={`icon step-icon${props.className ? ` ${props.className}` : ''}`} title={props.title}>
      {stepIconPath(props.icon)}
    </Svg>
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
