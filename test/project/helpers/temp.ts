import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterEach } from 'vitest';
import { loadProject } from '../../../src/project/index.js';

export const FIXTURES = resolve(import.meta.dirname, '../../fixtures/projects');

const made: string[] = [];
afterEach(async () => {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A fresh folder under the OS temp dir, removed after the test; a copy of `fixture` when given. */
export async function tempDir(fixture?: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'trellis-project-'));
  made.push(dir);
  if (fixture) await cp(join(FIXTURES, fixture), dir, { recursive: true });
  return dir;
}

/** Writes files given as { 'connectors/a.yaml': text } under `dir`. */
export async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
}

/** Strips the indentation common to all lines, so YAML can be written inline in tests. */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = strings.reduce((acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ''), '').replace(/^\n/, '');
  const indent = Math.min(...text.split('\n').filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  return text
    .split('\n')
    .map((l) => l.slice(indent))
    .join('\n')
    .replace(/[ \t]+$/, '');
}

/**
 * Loads with the file-format checks only: these tests are about YAML, positions and saves, so their
 * connectors need not hold settings the HTTP kind would accept.
 */
export function loadFormat(dir: string): ReturnType<typeof loadProject> {
  return loadProject(dir, { checkKinds: false });
}
