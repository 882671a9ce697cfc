import type { SourceNodeDto } from '../../../src/contract/index.js';

/**
 * Completion of the sources in scope inside a JS step's code (pure): `variables.<name>` and the
 * variables by name, `steps.<id>.<field>...` along the output schemas, `item.<field>` and `index` inside
 * an Iterate, `meta.<id>` of calls. The tree is what sequence.sources returns for the step.
 */

export type CompletionKind = 'variable' | 'field' | 'step' | 'keyword';

export interface Completion {
  label: string;
  kind: CompletionKind;
  /** the type, shown beside the label */
  detail: string;
  /** a sample value from the last run, when there is one */
  documentation?: string;
}

/** A node without label-less wrappers: what a member expression walks. */
interface Scope {
  label: string;
  type: string;
  sample?: unknown;
  children: readonly Scope[];
}

function sampleDoc(sample: unknown): string | undefined {
  if (sample === undefined) return undefined;
  const text = JSON.stringify(sample);
  return text === undefined ? undefined : `Sample from the last run: ${text.length > 200 ? `${text.slice(0, 200)}…` : text}`;
}

function childrenAsCompletions(children: readonly Scope[], kind: CompletionKind): Completion[] {
  return children
    .filter((c) => c.label !== '[*]' && c.label !== 'meta')
    .map((c) => ({ label: c.label, kind, detail: c.type, documentation: sampleDoc(c.sample) }));
}

/** The roots an expression may start with, as scopes. */
function roots(tree: readonly SourceNodeDto[]): Map<string, Scope> {
  const out = new Map<string, Scope>();
  const variables = tree.find((n) => n.from === 'variables' && n.path === '$');
  const steps = tree.filter((n) => n.from !== 'variables');
  if (variables) {
    out.set('variables', variables);
    for (const v of variables.children) if (/^[A-Za-z_$][\w$]*$/.test(v.label) && !out.has(v.label)) out.set(v.label, v);
  }
  out.set('steps', { label: 'steps', type: 'object', children: steps.map((s) => ({ ...s, children: s.children.filter((c) => !c.meta) })) });
  const metas = steps.flatMap((s) => {
    const m = s.children.find((c) => c.meta && c.label === 'meta');
    return m ? [{ ...m, label: s.label }] : [];
  });
  if (metas.length) out.set('meta', { label: 'meta', type: 'object', children: metas });
  // the innermost enclosing loop's pass: the last step in scope that shows an `item`
  const loop = [...steps].reverse().find((s) => s.children.some((c) => c.label === 'item'));
  if (loop) {
    const item = loop.children.find((c) => c.label === 'item');
    const index = loop.children.find((c) => c.label === 'index');
    if (item) out.set('item', item);
    if (index) out.set('index', index);
  }
  return out;
}

/** Splits `a.b[0].c` into ['a', 'b', '[*]', 'c']. */
function chainParts(chain: string): string[] {
  const parts: string[] = [];
  for (const m of chain.matchAll(/([A-Za-z_$][\w$]*)|\[(\d+|\*)\]|\[['"]([^'"]+)['"]\]/g)) {
    if (m[1] !== undefined) parts.push(m[1]);
    else if (m[2] !== undefined) parts.push('[*]');
    else if (m[3] !== undefined) parts.push(m[3]);
  }
  return parts;
}

/**
 * Completions for the text before the cursor: after `x.y.` the fields of that value, else the roots.
 * `null` when the cursor is not in a place where a source makes sense (inside a string).
 */
export function completionsAt(textBefore: string, tree: readonly SourceNodeDto[]): Completion[] | null {
  const line = textBefore.split('\n').pop() ?? '';
  const quotes = (line.match(/(?<!\\)['"`]/g) ?? []).length;
  if (quotes % 2 === 1) return null;
  const scopes = roots(tree);
  const member = /((?:[A-Za-z_$][\w$]*)(?:\s*\.\s*[A-Za-z_$][\w$]*|\[(?:\d+|\*|'[^']*'|"[^"]*")\])*)\s*\.\s*[\w$]*$/.exec(line);
  if (member) {
    const parts = chainParts(member[1]!);
    let scope = scopes.get(parts[0]!);
    for (const part of parts.slice(1)) {
      if (!scope) break;
      scope = scope.children.find((c) => c.label === part);
    }
    if (!scope) return [];
    // an array's fields are its items' fields once indexed; offer `length` too
    const kind: CompletionKind = parts[0] === 'steps' && parts.length === 1 ? 'step' : 'field';
    const list = childrenAsCompletions(scope.children, kind);
    if (scope.type.split('|').includes('array')) list.push({ label: 'length', kind: 'field', detail: 'integer' });
    return list;
  }
  const out: Completion[] = [];
  for (const [name, scope] of scopes) {
    out.push({ label: name, kind: name === 'steps' || name === 'variables' || name === 'meta' ? 'keyword' : 'variable', detail: scope.type, documentation: sampleDoc(scope.sample) });
  }
  return out;
}
