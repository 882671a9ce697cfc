import { readFileSync } from 'node:fs';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { expect } from 'vitest';
import { httpConfigSchema, httpTransactionSchema } from '../../src/connectors/http/config.js';
import { connectorSchema, variableSchema } from '../../src/model/index.js';
import type { ImportPlan, ImportWarning } from '../../src/openapi/types.js';

export const repoRoot = resolve(import.meta.dirname, '../..');
export const corpusDir = resolve(repoRoot, '../shared/corpus');
export const openapiDir = resolve(corpusDir, 'openapi');

export interface ManifestRow {
  /** path relative to corpus/openapi */
  file: string;
  version: string;
  ops: number;
  validator: string;
}

/** The OpenAPI rows of the corpus MANIFEST: the truth for operation counts. */
export function manifestRows(): ManifestRow[] {
  const text = readFileSync(join(corpusDir, 'MANIFEST.md'), 'utf8');
  const rows: ManifestRow[] = [];
  for (const line of text.split('\n')) {
    const m = /^\| `openapi\/([^`]+)` \| ([^|]+) \| [^|]+ \| ([^|]+) \| [^|]+ \| [^|]+ \| (.+) \|$/.exec(line);
    if (!m) continue;
    const ops = /^(\d+)/.exec(m[3]!.trim());
    if (!ops) continue;
    rows.push({ file: m[1]!, version: m[2]!.trim(), ops: Number(ops[1]), validator: m[4]!.trim() });
  }
  return rows;
}

/** Writes `files` (path → text or object, JSON for objects) under a fresh temp folder; returns the folder. */
export async function writeSpecFiles(files: Record<string, string | object>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'trellis-openapi-'));
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return dir;
}

export function codes(warnings: ImportWarning[]): string[] {
  return warnings.map((w) => w.code);
}

/** Walks a JSON Schema and checks every `$ref` points into its own `$defs`. */
function checkRefs(schema: unknown, defs: Record<string, unknown>, where: string): void {
  const stack: unknown[] = [schema];
  while (stack.length) {
    const v = stack.pop();
    if (Array.isArray(v)) stack.push(...v);
    else if (v && typeof v === 'object') {
      const ref = (v as Record<string, unknown>).$ref;
      if (typeof ref === 'string') {
        const m = /^#\/\$defs\/(.+)$/.exec(ref);
        expect(m, `${where}: $ref ${ref} points outside $defs`).not.toBeNull();
        expect(defs, `${where}: $ref ${ref}`).toHaveProperty([m![1]!]);
      }
      for (const [k, child] of Object.entries(v)) if (k !== 'examples' && k !== 'default' && k !== 'enum' && k !== 'const') stack.push(child);
    }
  }
}

/**
 * What every plan must satisfy: a connector the project and the HTTP connector accept, unique transaction
 * names, path placeholders matching path variables, self-contained JSON-serializable schemas.
 */
export function checkPlan(plan: ImportPlan): void {
  const c = plan.connector;
  expect(connectorSchema.safeParse(c).success).toBe(true);
  const config = httpConfigSchema.safeParse(c.config);
  expect(config.success, JSON.stringify(config.error?.issues)).toBe(true);
  const names = new Set<string>();
  for (const tx of c.transactions) {
    expect(names.has(tx.name), `duplicate transaction ${tx.name}`).toBe(false);
    names.add(tx.name);
    const parsed = httpTransactionSchema.safeParse(tx);
    expect(parsed.success, `${tx.name}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
    const varNames = new Set<string>();
    for (const v of tx.variables) {
      expect(variableSchema.safeParse(v).success, `${tx.name}.${v.name}`).toBe(true);
      expect(varNames.has(v.name), `${tx.name}: duplicate variable ${v.name}`).toBe(false);
      varNames.add(v.name);
    }
    const path = String((tx as Record<string, unknown>).path);
    const placeholders = [...path.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1]!);
    for (const p of placeholders) {
      expect(
        tx.variables.some((v) => v.name === p && v.in === 'path'),
        `${tx.name}: {${p}} has a path variable`,
      ).toBe(true);
    }
    for (const v of tx.variables.filter((x) => x.in === 'path')) expect(placeholders, `${tx.name}: ${v.name} in path`).toContain(v.name);
    const body = tx.variables.filter((v) => v.in === 'body');
    const form = tx.variables.filter((v) => v.in === 'form');
    expect(body.length && form.length, `${tx.name} mixes body and form`).toBeFalsy();
  }
  for (const [owner, schema] of Object.entries(plan.schemas)) {
    expect(owner.startsWith(`${c.name}.`)).toBe(true);
    expect(names.has(owner.slice(c.name.length + 1)), `${owner} has a transaction`).toBe(true);
    const text = JSON.stringify(schema);
    expect(text.length).toBeGreaterThan(2);
    checkRefs(schema, (schema.$defs ?? {}) as Record<string, unknown>, owner);
  }
  for (const w of plan.warnings) {
    expect(w.message, `${w.code} has a message`).toBeTruthy();
    expect(w.message.includes('\n'), `${w.code} message is one line`).toBe(false);
  }
}
