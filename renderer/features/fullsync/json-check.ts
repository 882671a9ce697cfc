/** Client-side checks of the document editor's text: Save stays disabled while they fail. */

export type JsonCheck = { ok: true; value: Record<string, unknown> } | { ok: false; message: string; line?: number; col?: number };

function lineCol(text: string, offset: number): { line: number; col: number } {
  const lines = text.slice(0, Math.max(0, Math.min(offset, text.length))).split('\n');
  return { line: lines.length, col: lines[lines.length - 1]!.length + 1 };
}

/** Parses a document: valid JSON, an object, a string _id when given. Errors carry the line and column when known. */
export function checkDocumentText(text: string): JsonCheck {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const position = /position (\d+)/.exec(message);
    const reason = message.replace(/\s*(in JSON )?at position \d+.*$/s, '');
    if (!position) return { ok: false, message: reason };
    const { line, col } = lineCol(text, Number(position[1]));
    return { ok: false, message: reason, line, col };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, message: `a document is a JSON object ({ ... }), not ${Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`}`, line: 1, col: 1 };
  const doc = value as Record<string, unknown>;
  if ('_id' in doc && (typeof doc._id !== 'string' || doc._id === '')) return { ok: false, message: '_id is a non-empty string (or leave it out and the store picks one)' };
  return { ok: true, value: doc };
}

/** "line 3, column 10: Unexpected token" */
export function describeCheck(check: JsonCheck): string {
  if (check.ok) return '';
  return check.line !== undefined ? `line ${check.line}, column ${check.col}: ${check.message}` : check.message;
}
