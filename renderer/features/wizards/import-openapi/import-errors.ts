import { StudioApiError } from '../../../../src/contract/index.js';

export type SourceField = 'source' | 'connector' | 'server';

/** An error of openapi.preview / openapi.import, ready to show beside the field that fixes it. */
export interface ImportProblem {
  field: SourceField;
  code: string;
  /** one line, naming the file, the JSON pointer (or line) and the reason */
  message: string;
  file?: string;
  pointer?: string;
  line?: number;
  col?: number;
  reason?: string;
  rule?: string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** null when the task was cancelled (not a problem: the person asked for it). */
export function describeImportError(error: unknown): ImportProblem | null {
  if (!(error instanceof StudioApiError)) {
    return { field: 'source', code: 'UNKNOWN', message: error instanceof Error ? error.message : String(error) };
  }
  if (error.code === 'CANCELLED') return null;
  const d = (error.details && typeof error.details === 'object' ? error.details : {}) as Record<string, unknown>;
  const problem: ImportProblem = {
    field: 'source',
    code: error.code,
    message: error.message,
    file: str(d.file),
    pointer: typeof d.pointer === 'string' ? d.pointer : undefined,
    line: num(d.line),
    col: num(d.col),
    reason: str(d.reason),
    rule: str(d.rule),
  };
  if (!problem.file && error.path) {
    // "file#pointer" in the error's path when the details do not say
    const hash = error.path.indexOf('#');
    problem.file = hash >= 0 ? error.path.slice(0, hash) : error.path;
    if (hash >= 0 && problem.pointer === undefined) problem.pointer = error.path.slice(hash + 1);
  }
  if (error.code === 'INVALID_CONFIG' || error.code === 'INVALID_NAME' || error.code === 'CONFLICT') {
    if (/\bserver\b/i.test(error.message) && !/connector/i.test(error.message)) problem.field = 'server';
    else if (/connector/i.test(error.message)) problem.field = 'connector';
  }
  if (error.code === 'BAD_PARAMS' && /connector/i.test(error.message)) problem.field = 'connector';
  return problem;
}

/** What kind of problem, in a few words, for the panel's heading. */
export function problemTitle(problem: ImportProblem): string {
  switch (problem.code) {
    case 'INVALID_SPEC':
      return 'The spec cannot be imported';
    case 'NOT_FOUND':
      return 'Not found';
    case 'NETWORK':
    case 'TIMEOUT':
      return 'The spec cannot be fetched';
    case 'INVALID_CONFIG':
    case 'INVALID_PROJECT':
      return 'The import cannot go ahead';
    case 'UNREACHABLE':
      return 'The studio server cannot be reached';
    default:
      return 'The import failed';
  }
}
