import './register.js';
import { Editor } from '@monaco-editor/react';
import { useEffect, useRef } from 'react';
import type { JSX } from 'react';
import { useAppTheme } from '../../monaco/theme.js';
import { registerScope } from './register.js';
import type { JsEditorProps } from './JsEditor.js';

/** The Monaco side of JsEditor, loaded on first use. */
export default function MonacoJsEditor({ value, onChange, sources, ariaLabel, height = 200 }: JsEditorProps): JSX.Element {
  const theme = useAppTheme();
  const sourcesRef = useRef(sources);
  sourcesRef.current = sources;
  const dispose = useRef<(() => void) | null>(null);
  useEffect(() => () => dispose.current?.(), []);
  return (
    <Editor
      value={value}
      language="javascript"
      theme={theme === 'dark' ? 'vs-dark' : 'vs'}
      height={height}
      loading={<pre className="code-fallback">{value}</pre>}
      onChange={(v) => onChange(v ?? '')}
      onMount={(editor) => {
        const model = editor.getModel();
        if (model) dispose.current = registerScope(model.uri.toString(), () => sourcesRef.current ?? []);
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
