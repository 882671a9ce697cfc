import '../../monaco/setup.js';
// the basic YAML language: tokens only, no worker
import 'monaco-editor/languages/definitions/yaml/register';
import { Editor } from '@monaco-editor/react';
import { useEffect, useRef } from 'react';
import type { JSX } from 'react';
import { monaco } from '../../monaco/setup.js';
import { useAppTheme } from '../../monaco/theme.js';
import type { YamlEditorProps } from './YamlEditor.js';

const OWNER = 'trellis-mappings';

/** The Monaco side of YamlEditor: the editor owns its text while focused; a text from outside (a reload) replaces it. */
export default function MonacoYamlEditor({ value, onChange, ariaLabel, markers, reveal }: YamlEditorProps): JSX.Element {
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
      markers.map((m) => {
        // line 0 means the whole file: mark the first line
        const line = Math.min(Math.max(m.line, 1), model.getLineCount());
        const col = Math.max(m.col, 1);
        return {
          severity: m.severity === 'error' ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Warning,
          message: m.message,
          startLineNumber: line,
          startColumn: col,
          endLineNumber: line,
          endColumn: Math.max(col + 1, model.getLineMaxColumn(line)),
        };
      }),
    );
  }, [markers]);

  useEffect(() => {
    const editor = editorRef.current;
    if (!editor || !reveal) return;
    const position = { lineNumber: Math.max(reveal.line, 1), column: Math.max(reveal.col, 1) };
    editor.setPosition(position);
    editor.revealLineInCenter(position.lineNumber);
    editor.focus();
  }, [reveal]);

  return (
    <Editor
      defaultValue={value}
      language="yaml"
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
        fontSize: 13,
        lineNumbersMinChars: 3,
        tabSize: 2,
        insertSpaces: true,
        stickyScroll: { enabled: false },
        fixedOverflowWidgets: true,
      }}
    />
  );
}
