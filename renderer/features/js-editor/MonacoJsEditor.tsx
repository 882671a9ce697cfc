import './register.js';
import { Editor } from '@monaco-editor/react';
import { useEffect, useRef } from 'react';
import type { JSX } from 'react';
import { useAppTheme } from '../../monaco/theme.js';
import { registerScope } from './register.js';
import type { monaco } from './register.js';
import type { JsEditorProps } from './JsEditor.js';

/**
 * The Monaco side of JsEditor, loaded on first use. The editor owns its text while it has the focus
 * (a controlled value would replay renders that lag behind fast typing); a value that changes from
 * elsewhere (undo in the studio, the engine) replaces it.
 */
export default function MonacoJsEditor({ value, onChange, sources, ariaLabel, height = 200, onFocus }: JsEditorProps): JSX.Element {
  const theme = useAppTheme();
  const sourcesRef = useRef(sources);
  sourcesRef.current = sources;
  const onFocusRef = useRef(onFocus);
  onFocusRef.current = onFocus;
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const emitted = useRef(value);
  const dispose = useRef<(() => void) | null>(null);
  useEffect(() => () => dispose.current?.(), []);

  // renders may lag behind fast typing: while the editor has the focus its text wins
  useEffect(() => {
    const editor = editorRef.current;
    if (!editor || editor.hasTextFocus() || value === emitted.current || value === editor.getValue()) return;
    emitted.current = value;
    editor.setValue(value);
  }, [value]);

  return (
    <Editor
      defaultValue={value}
      language="javascript"
      theme={theme === 'dark' ? 'vs-dark' : 'vs'}
      height={height}
      loading={<pre className="code-fallback">{value}</pre>}
      onChange={(v) => {
        emitted.current = v ?? '';
        onChange(v ?? '');
      }}
      onMount={(editor) => {
        editorRef.current = editor;
        const model = editor.getModel();
        const unregister = model ? registerScope(model.uri.toString(), () => sourcesRef.current ?? []) : () => {};
        const focus = editor.onDidFocusEditorText(() => onFocusRef.current?.());
        dispose.current = () => {
          unregister();
          focus.dispose();
        };
        if (editor.getValue() !== emitted.current) editor.setValue(emitted.current);
      }}
      options={{
        ariaLabel,
        minimap: { enabled: false },
        scrollBeyondLastLine: false,
        automaticLayout: true,
        fontSize: 12,
        lineNumbersMinChars: 2,
        folding: false,
        renderLineHighlight: 'none',
        wordWrap: 'on',
        tabSize: 2,
        quickSuggestions: { other: true, strings: false, comments: false },
        suggestOnTriggerCharacters: true,
        stickyScroll: { enabled: false },
        fixedOverflowWidgets: true,
        scrollbar: { alwaysConsumeMouseWheel: false },
      }}
    />
  );
}
