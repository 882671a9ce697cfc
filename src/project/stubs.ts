import { mkdir, readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { z } from 'zod';
import type { TxResult } from '../connectors/connector-kind.js';
import { TrellisError } from '../engine/errors.js';
import type { StubSource } from '../engine/stubs.js';
import { jsonSchema } from '../model/index.js';
import { writeFileAtomic } from './atomic-write.js';

export const STUBS_DIR = 'stubs';

/**
 * `stubs/<connector>.<transaction>.json`: the recorded answer of one transaction. `data` is what the
 * transaction returns (the JSON the response panel shows); `xml` the raw XML when the answer was XML;
 * `status`, `statusText`, `headers` and `contentType` its meta.
 */
export const stubFileSchema = z.object({
  target: z.string().min(1),
  recordedAt: z.string().optional(),
  status: z.number().int().optional(),
  statusText: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  contentType: z.string().optional(),
  data: jsonSchema,
  xml: z.string().optional(),
});
export type StubFile = z.infer<typeof stubFileSchema>;

// Credentials a backend may hand out: never written into the project.
const DROPPED_HEADERS = new Set(['set-cookie', 'authorization', 'proxy-authorization', 'www-authenticate', 'cookie']);

export function stubFile(target: string): string {
  return posix.join(STUBS_DIR, `${target}.json`);
}

export function stubFromResult(target: string, result: TxResult, recordedAt = new Date().toISOString()): StubFile {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(result.meta.headers ?? {})) if (!DROPPED_HEADERS.has(k.toLowerCase())) headers[k] = v;
  const stub: StubFile = { target, recordedAt, data: result.data };
  if (result.meta.status !== undefined) stub.status = result.meta.status;
  if (result.meta.statusText !== undefined) stub.statusText = result.meta.statusText;
  if (Object.keys(headers).length) stub.headers = headers;
  if (result.meta.contentType !== undefined) stub.contentType = result.meta.contentType;
  if (result.xml !== undefined) stub.xml = result.xml;
  return stub;
}

/** Writes `stubs/<target>.json` (2-space JSON, final newline) and returns its project-relative path. */
export async function writeStub(dir: string, stub: StubFile): Promise<string> {
  const file = stubFile(stub.target);
  await mkdir(join(dir, STUBS_DIR), { recursive: true });
  await writeFileAtomic(join(dir, file), `${JSON.stringify(stub, null, 2)}\n`);
  return file;
}

/** Reads a stub; a missing file is an error naming the file expected and how to make it. */
export async function readStub(dir: string, target: string): Promise<StubFile> {
  const file = stubFile(target);
  let text: string;
  try {
    text = await readFile(join(dir, file), 'utf8');
  } catch {
    throw new TrellisError(
      'NOT_FOUND',
      `stub mode: no stub for ${target}: expected the file ${file} (execute ${target} against its backend and use "Create stub from current response", or write the file)`,
      { path: file },
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new TrellisError('INVALID_CONFIG', `${file}: not valid JSON (${(e as Error).message})`, { path: file });
  }
  const parsed = stubFileSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new TrellisError('INVALID_CONFIG', `${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`, { path: file });
  }
  return parsed.data;
}

/** The stub source of a project folder: every answer read from `stubs/` when it is asked for (edits apply at once). */
export function fileStubs(dir: string): StubSource {
  return {
    async answer(target: string): Promise<TxResult> {
      const started = performance.now();
      const stub = await readStub(dir, target);
      const result: TxResult = {
        data: stub.data,
        meta: { status: stub.status, statusText: stub.statusText, headers: { ...stub.headers, 'x-trellis-stub': stubFile(target) }, contentType: stub.contentType, ms: performance.now() - started },
      };
      if (stub.xml !== undefined) result.xml = stub.xml;
      return result;
    },
  };
}
