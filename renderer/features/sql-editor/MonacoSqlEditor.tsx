import './register.js';
import { Editor } from '@monaco-editor/react';
import { useEffect, useRef } from 'react';
import type { JSX } from 'react';
import { useAppTheme } from '../../monaco/theme.js';
import { monaco, registerSqlContext } from './register.js';
import type { SqlEditorProps } from './SqlCodeEditor.js';

const MARKER_OWNER = 'trellis-sql-run';

/**
 * The Monaco side of SqlCodeEditor, loaded on first use. While the editor has the focus its text wins over
 * the value prop (renders lag behind fast typing); a value changed elsewhere (undo, the file on disk)
 * replaces it otherwise.
 */
export default function MonacoSqlEditor({ value, onChange, context, ariaLabel, error }: SqlEditorProps): JSX.Element {
  const theme = useAppTheme();
  const contextRef = useRef(context);
  contextRef.current = context;
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const emitted = useRef(value);
  const dispose = useRef<(() => void) | null>(null);
  useEffect(() => () => dispose.current?.(), []);

  useEffect(() => {
    const editor = editorRef.current;
    if (!editor || editor.hasTextFocus() || value === emitted.current || value === editor.getValue()) return;
    emitted.current = value;
    editor.setValue(value);
  }, [value]);

  // the last run's error, underlined where the database said it is
  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (!model) return;
    if (!error || error.position > model.getValueLength()) {
      monaco.editor.setModelMarkers(model, MARKER_OWNER, []);
      return;
    }
    const start = model.getPositionAt(error.position);
    const word = model.getWordAtPosition(start);
    monaco.editor.setModelMarkers(model, MARKER_OWNER, [
      {
        severity: monaco.MarkerSeverity.Error,
        message: error.message,
        startLineNumber: start.lineNumber,
        startColumn: word?.startColumn ?? start.column,
        endLineNumber: start.lineNumber,
        endColumn: word?.endColumn ?? start.column + 1,
      },
    ]);
  }, [error]);

  return (
    <Editor
      defaultValue={value}
      language="sql"
      theme={theme === 'dark' ? 'vs-dark' : 'vs'}
      height="100%"
      loading={<pre className="code-fallback">{value}</pre>}
      onChange={(v) => {
        emitted.current = v ?? '';
        onChange(v ?? '');
      }}
      onMount={(editor) => {
        editorRef.current = editor;
        const model = editor.getModel();
        const unregister = model ? registerSqlContext(model.uri.toString(), () => contextRef.current()) : () => {};
        dispose.current = unregister;
        if (editor.getValue() !== emitted.current) editor.setValue(emitted.current);
      }}
      options={{
        ariaLabel,
        minimap: { enabled: false },
        scrollBeyondLastLine: false,
        automaticLayout: true,
        fontSize: 13,
        lineNumbersMinChars: 3,
        folding: false,
        renderLineHighlight: 'line',
        wordWrap: 'on',
        tabSize: 2,
        quickSuggestions: { other: true, strings: false, comments: false },
        suggestOnTriggerCharacters: true,
        // the database's names, not every word of the text
        wordBasedSuggestions: 'off',
        // `{` would get a `}` typed ahead of the name, and every keystroke would be a complete placeholder
        autoClosingBrackets: 'never',
        stickyScroll: { enabled: false },
        fixedOverflowWidgets: true,
      }}
    />
  );
}
