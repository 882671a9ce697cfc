import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ProjectState } from '../../src/contract/index.js';
import { stepKinds } from '../../src/steps/index.js';
import { Icon, StepIcon } from '../../renderer/icons/icons.js';
import { buildRows, stepRowIcon } from '../../renderer/features/projects-tree/tree-model.js';
import { refKey } from '../../renderer/state/keys.js';

const dir = '/p/shop';
const state = {
  project: {
    dir,
    name: 'shop',
    formatVersion: 1,
    connectors: [],
    sequences: [
      {
        name: 'main',
        variables: [],
        steps: [
          { id: 'each', kind: 'iterate', props: { times: 2 }, steps: [{ id: 'get', kind: 'callTransaction', props: { transaction: 'c.t' } }] },
          { id: 'odd', kind: 'noSuchKind' },
        ],
      },
    ],
  },
  problems: [],
  dirty: false,
  canUndo: false,
  canRedo: false,
  version: 1,
} as unknown as ProjectState;

const kinds = stepKinds().map((k) => ({ kind: k.kind, icon: k.icon }));
const markup = (el: Parameters<typeof renderToStaticMarkup>[0]) => renderToStaticMarkup(el);
/** the drawing of an icon, without its class names */
const drawing = (html: string) => html.replace(/^<svg[^>]*>/, '');

describe('Projects tree: step rows show their kind icon', () => {
  const seq = refKey(dir, { type: 'sequence', sequence: 'main' });
  const each = refKey(dir, { type: 'step', sequence: 'main', step: 'each' });
  const folder = [...new Set(buildRows([dir], { [dir]: state }, new Set([refKey(dir, { type: 'project' })]), '').map((r) => r.key))];
  const rows = buildRows([dir], { [dir]: state }, new Set([...folder, seq, each]), '');
  const row = (label: string) => rows.find((r) => r.label === label)!;

  it('a step row carries its kind, which resolves to the icon the kind declares', () => {
    expect(row('each')).toMatchObject({ kind: 'step', stepKind: 'iterate' });
    expect(row('get')).toMatchObject({ kind: 'step', stepKind: 'callTransaction' });
    expect(stepRowIcon(row('each'), kinds)).toBe('loop');
    expect(stepRowIcon(row('get'), kinds)).toBe('call');
    expect(stepRowIcon(row('odd'), kinds)).toBeUndefined();
    expect(stepRowIcon(row('each'), null)).toBeUndefined();
    expect(row('main').stepKind).toBeUndefined();
  });

  it('one icon module draws every step kind, the generic step for unknown ids', () => {
    const generic = drawing(markup(createElement(Icon, { name: 'step' })));
    expect(drawing(markup(createElement(StepIcon, { icon: undefined })))).toBe(generic);
    expect(drawing(markup(createElement(StepIcon, { icon: 'noSuchIcon' })))).toBe(generic);
    // every icon a registered kind declares is drawn (a kind added with a new icon id needs its drawing here)
    for (const icon of new Set(kinds.map((k) => k.icon))) expect(drawing(markup(createElement(StepIcon, { icon }))), `step icon "${icon}" is drawn`).not.toBe(generic);
    expect(drawing(markup(createElement(StepIcon, { icon: 'loop' })))).not.toBe(drawing(markup(createElement(StepIcon, { icon: 'branch' }))));
    // a call step looks like the transaction it calls, a callSequence like a sequence: drawn once, in one place
    expect(drawing(markup(createElement(StepIcon, { icon: 'call' })))).toBe(drawing(markup(createElement(Icon, { name: 'transaction' }))));
    expect(drawing(markup(createElement(StepIcon, { icon: 'sequence' })))).toBe(drawing(markup(createElement(Icon, { name: 'sequence' }))));
    expect(markup(createElement(StepIcon, { icon: 'loop', className: 'kind-icon' }))).toMatch(/class="icon step-icon kind-icon"/);
  });
});
