import type { StepKindInfo } from '../../../src/contract/index.js';
import type { Step } from '../../../src/model/index.js';
import { describeSource, jsOf, sourceOf } from '../editors/step-props/dynamic.js';

/** One short line per value: a source as `from.path`, an expression as `ƒ expr`, a constant as JSON. */
export function describeValue(value: unknown): string {
  const source = sourceOf(value);
  if (source) return `⇠ ${describeSource(source)}`;
  const js = jsOf(value);
  if (js !== undefined) return `ƒ ${js}`;
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** The line under a step's name on the canvas: its main properties, in schema order. */
export function summarize(step: Step, info: StepKindInfo | undefined): string {
  const props = step.props ?? {};
  if (step.description) return step.description;
  const order = Object.keys((info?.propsSchema as { properties?: Record<string, unknown> } | undefined)?.properties ?? props);
  const parts: string[] = [];
  for (const key of order) {
    const value = props[key];
    if (value === undefined || value === null || value === '') continue;
    if (key === 'variables' && typeof value === 'object' && !Array.isArray(value)) {
      const names = Object.keys(value);
      if (names.length) parts.push(`(${names.join(', ')})`);
      continue;
    }
    if (typeof value === 'boolean') continue;
    if (key === 'code' && typeof value === 'string') {
      parts.push(value.split('\n').find((l) => l.trim())?.trim() ?? '');
      continue;
    }
    const text = describeValue(value);
    parts.push(key === 'transaction' || key === 'sequence' || key === 'text' ? text : `${key}: ${text}`);
    if (parts.length >= 2) break;
  }
  return parts.join(' ');
}
