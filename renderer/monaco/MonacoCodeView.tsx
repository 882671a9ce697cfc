import './setup.js';
import { Editor } from '@monaco-editor/react';
import type { JSX } from 'react';
import type { CodeViewProps } from './CodeView.js';
import { useAppTheme } from './theme.js';

/** The Monaco side of CodeView, loaded on first use so the studio opens without Monaco's weight. */
export default function MonacoCodeView({ value, language, readOnly = true, height = '100%', ariaLabel }: CodeViewProps): JSX.Element {
  const theme = useAppTheme();
  return (
    <Editor
      value={value}
      language={language === 'text' ? 'plaintext' : language}
      theme={theme === 'dark' ? 'vs-dark' : 'vs'}
      height={height}
      loading={<pre className="code-fallback">{value}</pre>}
      options={{
        readOnly,
        domReadOnly: readOnly,
        ariaLabel,
        minimap: { enabled: false },
        scrollBeyondLastLine: false,
        automaticLayout: true,
        fontSize: 12,
        lineNumbersMinChars: 3,
        folding: true,
        renderLineHighlight: 'none',
        wordWrap: 'off',
        tabSize: 2,
        contextmenu: true,
        stickyScroll: { enabled: false },
        guides: { indentation: true },
      }}
    />
  );
}
