import '../../monaco/setup.js';
import { Editor } from '@monaco-editor/react';
import { useEffect, useRef } from 'react';
import type { JSX } from 'react';
import { monaco } from '../../monaco/setup.js';
import { useAppTheme } from '../../monaco/theme.js';
import type { JsonEditorProps } from './JsonEditor.js';

const OWNER = 'trellis-fullsync';

/** The Monaco side of JsonEditor: the editor owns its text while focused; a new document from outside replaces it. */
export default function MonacoJsonEditor({ value, onChange, ariaLabel, error }: JsonEditorProps): JSX.Element {
  const theme = useAppTheme();
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const emitted = useRef(value);

  useEffect(() => {
    const editor = editorRef.current;
    if (!editor || value === emitted.current || value === editor.getValue()) return;
    emitted.current = value;
    editor.setValue(value);
  }, [value]);

  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (!model) return;
    monaco.editor.setModelMarkers(
      model,
      OWNER,
      error ? [{ severity: monaco.MarkerSeverity.Error, message: error.message, startLineNumber: error.line, startColumn: error.col, endLineNumber: error.line, endColumn: error.col + 1 }] : [],
    );
  }, [error]);

  return (
    <Editor
      defaultValue={value}
      language="json"
      theme={theme === 'dark' ? 'vs-dark' : 'vs'}
      height="100%"
      loading={<pre className="code-fallback">{value}</pre>}
      onChange={(v) => {
        emitted.current = v ?? '';
        onChange(v ?? '');
      }}
      onMount={(editor) => {
        editorRef.current = editor;
        if (editor.getValue() !== emitted.current) editor.setValue(emitted.current);
      }}
      options={{
        ariaLabel,
        minimap: { enabled: false },
        scrollBeyondLastLine: false,
        automaticLayout: true,
        fontSize: 12,
        lineNumbersMinChars: 3,
        tabSize: 2,
        wordWrap: 'on',
        // a document is often pasted or typed whole: no brackets or quotes added behind the cursor
        autoClosingBrackets: 'never',
        autoClosingQuotes: 'never',
        stickyScroll: { enabled: false },
        fixedOverflowWidgets: true,
      }}
    />
  );
}
