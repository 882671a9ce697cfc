/**
 * SQL in Monaco: the basic SQL language (tokens, brackets; no worker) and one completion provider that asks
 * each SQL editor's model for its database structure and variables.
 */
import { monaco } from '../../monaco/setup.js';
import 'monaco-editor/languages/definitions/sql/register';
import { sqlCompletions } from './sql-completion.js';
import type { SqlCompletion, SqlCompletionContext } from './sql-completion.js';

/** What each SQL editor completes from, by model URI. */
const contexts = new Map<string, () => SqlCompletionContext>();

function kindOf(kind: SqlCompletion['kind']): monaco.languages.CompletionItemKind {
  switch (kind) {
    case 'table':
      return monaco.languages.CompletionItemKind.Class;
    case 'view':
      return monaco.languages.CompletionItemKind.Interface;
    case 'column':
      return monaco.languages.CompletionItemKind.Field;
    case 'variable':
      return monaco.languages.CompletionItemKind.Variable;
    default:
      return monaco.languages.CompletionItemKind.Keyword;
  }
}

monaco.languages.registerCompletionItemProvider('sql', {
  triggerCharacters: ['.', '{'],
  provideCompletionItems(model, position) {
    const context = contexts.get(model.uri.toString())?.();
    if (!context) return { suggestions: [] };
    const text = model.getValue();
    const offset = model.getOffsetAt(position);
    const list = sqlCompletions(text, offset, context);
    if (!list) return { suggestions: [] };
    const word = model.getWordUntilPosition(position);
    const range = { startLineNumber: position.lineNumber, endLineNumber: position.lineNumber, startColumn: word.startColumn, endColumn: word.endColumn };
    return {
      suggestions: list.map((c, i) => ({
        label: c.label,
        kind: kindOf(c.kind),
        detail: c.detail,
        insertText: c.insertText,
        range,
        sortText: `${c.rank}${String(i).padStart(5, '0')}`,
      })),
    };
  },
});

/** Gives an editor model what it completes from; returns the removal. */
export function registerSqlContext(uri: string, get: () => SqlCompletionContext): () => void {
  contexts.set(uri, get);
  return () => {
    if (contexts.get(uri) === get) contexts.delete(uri);
  };
}

export { monaco };
