/**
 * `{name}` placeholders in paths, header values and body templates. A template is compiled once per transaction
 * into literal parts and placeholder names, so a call only concatenates.
 */

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_.-]*)\}/g;

export interface Template {
  /** literal text at even indexes, placeholder names at odd indexes */
  readonly parts: readonly string[];
  /** placeholder names, in order of first appearance */
  readonly names: readonly string[];
}

export function compileTemplate(text: string): Template {
  const parts: string[] = [];
  const names: string[] = [];
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    parts.push(text.slice(last, m.index), m[1]!);
    if (!names.includes(m[1]!)) names.push(m[1]!);
    last = m.index + m[0].length;
  }
  parts.push(text.slice(last));
  return { parts, names };
}

/** Placeholder names of a template text. */
export function placeholderNames(text: string): readonly string[] {
  return compileTemplate(text).names;
}

/**
 * Renders a template: `value(name)` gives the replacement text of a placeholder, or undefined to keep the
 * placeholder as written (a name that is no variable is literal text).
 */
export function renderTemplate(template: Template, value: (name: string) => string | undefined): string {
  const { parts } = template;
  if (parts.length === 1) return parts[0]!;
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i]!;
    const v = value(name);
    out += (v === undefined ? `{${name}}` : v) + parts[i + 1]!;
  }
  return out;
}
