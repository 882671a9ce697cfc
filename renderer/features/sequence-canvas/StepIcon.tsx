import type { JSX, ReactNode } from 'react';

/** Step kind icons (16 px grid, currentColor), by the `icon` id each kind declares (steps.list). */
const paths: Record<string, ReactNode> = {
  call: <path d="M2 5.5h10M9.5 3 12 5.5 9.5 8M14 10.5H4M6.5 8 4 10.5 6.5 13" />,
  sequence: (
    <>
      <rect x="1.5" y="1.5" width="5" height="4" rx="1" />
      <rect x="9.5" y="10.5" width="5" height="4" rx="1" />
      <path d="M4 5.5v3.5a1.5 1.5 0 0 0 1.5 1.5H9.5" />
    </>
  ),
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
};

const fallback = <rect x="3" y="4" width="10" height="8" rx="1.5" />;

export function StepIcon({ icon, className }: { icon: string | undefined; className?: string }): JSX.Element {
  return (
    <svg className={`icon step-icon${className ? ` ${className}` : ''}`} width="16" height="16" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      {(icon && paths[icon]) || fallback}
    </svg>
  );
}
