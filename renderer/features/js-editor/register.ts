/**
 * JavaScript in Monaco for JS steps: the basic JavaScript language (tokens, brackets; no TypeScript
 * worker) and one completion provider that asks each editor's model for the sources in its scope.
 */
import { monaco } from '../../monaco/setup.js';
import 'monaco-editor/languages/definitions/javascript/register';
import { completionsAt } from './js-completion.js';
import type { Completion } from './js-completion.js';
import type { SourceNodeDto } from '../../../src/contract/index.js';

/** The sources in scope of each JS editor, by model URI. */
const scopes = new Map<string, () => readonly SourceNodeDto[]>();

function kindOf(kind: Completion['kind']): monaco.languages.CompletionItemKind {
  switch (kind) {
    case 'variable':
      return monaco.languages.CompletionItemKind.Variable;
    case 'step':
      return monaco.languages.CompletionItemKind.Module;
    case 'keyword':
      return monaco.languages.CompletionItemKind.Keyword;
    default:
      return monaco.languages.CompletionItemKind.Field;
  }
}

monaco.languages.registerCompletionItemProvider('javascript', {
  triggerCharacters: ['.'],
  provideCompletionItems(model, position) {
    const tree = scopes.get(model.uri.toString())?.();
    if (!tree) return { suggestions: [] };
    const before = model.getValueInRange({ startLineNumber: Math.max(1, position.lineNumber - 20), startColumn: 1, endLineNumber: position.lineNumber, endColumn: position.column });
    const list = completionsAt(before, tree);
    if (!list) return { suggestions: [] };
    const word = model.getWordUntilPosition(position);
    const range = { startLineNumber: position.lineNumber, endLineNumber: position.lineNumber, startColumn: word.startColumn, endColumn: word.endColumn };
    return {
      suggestions: list.map((c, i) => ({
        label: c.label,
        kind: kindOf(c.kind),
        detail: c.detail,
        documentation: c.documentation,
        insertText: /^[A-Za-z_$][\w$]*$/.test(c.label) ? c.label : `['${c.label}']`,
        range,
        sortText: String(i).padStart(4, '0'),
      })),
    };
  },
});

/** Gives an editor model its sources; returns the removal. */
export function registerScope(uri: string, get: () => readonly SourceNodeDto[]): () => void {
  scopes.set(uri, get);
  return () => {
    if (scopes.get(uri) === get) scopes.delete(uri);
  };
}

export { monaco };
