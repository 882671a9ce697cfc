/**
 * Monaco, bundled: nothing is fetched from a CDN. Only the core editor, the contributions a read-only
 * viewer uses, and the JSON and XML languages are imported (monaco-editor 0.57 `exports` map:
 * `monaco-editor/<path under esm/vs>`). Import this module before any editor mounts.
 */
import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/features/codicon/register';
import 'monaco-editor/features/find/register';
import 'monaco-editor/features/folding/register';
import 'monaco-editor/features/bracketMatching/register';
import 'monaco-editor/features/clipboard/register';
import 'monaco-editor/features/contextmenu/register';
import 'monaco-editor/features/wordHighlighter/register';
import 'monaco-editor/features/wordOperations/register';
import 'monaco-editor/features/links/register';
import 'monaco-editor/features/gotoLine/register';
import 'monaco-editor/features/hover/register';
import 'monaco-editor/features/readOnlyMessage/register';
// The JSON language contributions reach into these services; without them Monaco throws on first use.
import 'monaco-editor/features/codelens/register';
import 'monaco-editor/features/suggest/register';
// features/suggest/register only brings inline suggestions; the suggest widget itself (Ctrl+Space, completion
// while typing) is this controller, which Monaco otherwise loads only as a side effect of the JSON language
// mode: imported here, the SQL and JS editors complete without a JSON model having been shown first.
import 'monaco-editor/editor/contrib/suggest/browser/suggestController';
import 'monaco-editor/features/dnd/register';
import 'monaco-editor/features/dropOrPasteInto/register';
import { jsonDefaults } from 'monaco-editor/languages/features/json/register';
import 'monaco-editor/languages/definitions/xml/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import JsonWorker from 'monaco-editor/language/json/json.worker?worker';
import { loader } from '@monaco-editor/react';

/** One worker per label Monaco asks for: json for the JSON language service, the editor worker otherwise. */
self.MonacoEnvironment = {
  getWorker(_workerId: string, label: string): Worker {
    if (label === 'json') return new JsonWorker();
    return new EditorWorker();
  },
};

// Responses are shown as they are (possibly truncated): no squiggles, no schema requests.
jsonDefaults.setDiagnosticsOptions({ validate: false, enableSchemaRequest: false, schemas: [] });

// @monaco-editor/react uses this instance instead of loading Monaco from its default CDN.
loader.config({ monaco });

export { monaco };
