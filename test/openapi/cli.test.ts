import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { processIo } from '../../src/cli/io.js';
import { registerImportOpenApi } from '../../src/cli/commands/import-openapi.js';
import { createProject, loadProject } from '../../src/project/index.js';
import { openapiDir, writeSpecFiles } from './helpers.js';

// `trellis import openapi` run in-process: the command is registered on a fresh program as main.ts will.
const dirs: string[] = [];
let out: string[] = [];
let err: string[] = [];
const saved = { out: processIo.out, err: processIo.err };

beforeEach(() => {
  out = [];
  err = [];
  processIo.out = (t) => void out.push(t);
  processIo.err = (t) => void err.push(t);
  process.exitCode = undefined;
});
afterEach(() => {
  processIo.out = saved.out;
  processIo.err = saved.err;
  process.exitCode = undefined;
});
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function run(...args: string[]): Promise<void> {
  const program = new Command('trellis').exitOverride();
  registerImportOpenApi(program.command('import'));
  await program.parseAsync(['import', 'openapi', ...args], { from: 'user' });
}

async function project(): Promise<string> {
  const dir = await writeSpecFiles({ 'bad.yaml': 'openapi: 3.0.0\ninfo: {title: x, version: "1"}\npaths: [1, 2]\n' });
  dirs.push(dir);
  const p = join(dir, 'proj');
  await createProject(p, { name: 'proj' });
  return p;
}

describe('trellis import openapi', () => {
  it('--json prints exactly one JSON object with connector, imported, skipped, warnings', async () => {
    const p = await project();
    await run(p, join(openapiDir, 'invalid/duplicate-operation-ids-v2.yaml'), '--json', '--connector', 'users');
    expect(err).toEqual([]);
    expect(out).toHaveLength(1);
    const json = JSON.parse(out[0]!);
    expect(json).toMatchObject({ connector: 'users', imported: 2, skipped: 0, dryRun: false, diff: { added: ['users', 'users_2'] } });
    expect(json.warnings.map((w: { code: string }) => w.code)).toContain('duplicate-operation-id');
    expect(process.exitCode ?? 0).toBe(0);
    const { project: loaded } = await loadProject(p);
    expect(loaded.connectors.map((c) => c.name)).toEqual(['users']);
  });

  it('prints a human summary; --dry-run writes nothing', async () => {
    const p = await project();
    await run(p, join(openapiDir, 'readme-petstore-v2.json'), '--dry-run');
    const text = out.join('\n');
    expect(text).toMatch(/^dry run \(nothing written\): .*readme-petstore-v2\.json → connector swaggerPetstore \(connectors\/swaggerPetstore\.yaml\)/);
    expect(text).toContain('operations: 20 imported, 0 skipped');
    expect(text).toContain('changes: 20 added, 0 updated, 0 marked removed, 0 unchanged');
    expect(text).toMatch(/warnings: 2\n {4}oauth2-as-bearer: .*readme-petstore-v2\.json#\/securityDefinitions\/petstore_auth: /);
    expect(text).toMatch(/\n {4}api-key-variable: .*"api_key"/);
    const { project: loaded } = await loadProject(p);
    expect(loaded.connectors).toEqual([]);
  });

  it('--server picks the server', async () => {
    const p = await project();
    await run(p, join(openapiDir, 'readme-petstore-v2.json'), '--server', '0', '--json', '--connector', 'pets');
    const { project: loaded } = await loadProject(p);
    expect(loaded.connectors[0]!.config).toMatchObject({ host: 'petstore.swagger.io', https: false });
  });

  it('an invalid spec: exit 1 and one line on stderr naming file, JSON pointer and reason', async () => {
    const p = await project();
    await run(p, join(p, '../bad.yaml'), '--json');
    expect(out).toEqual([]);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^trellis: .*bad\.yaml#\/paths: paths must be an object mapping paths to Path Items, not a list$/);
    expect(process.exitCode).toBe(1);
  });

  it('a missing file or a bad --server: exit 1 with a clear message', async () => {
    const p = await project();
    await run(p, join(p, 'missing.yaml'));
    expect(err[0]).toMatch(/^trellis: .*missing\.yaml: no such file$/);
    err = [];
    await run(p, join(openapiDir, 'oai-uber-v2.json'), '--server', '7');
    expect(err[0]).toMatch(/^trellis: server 7: the spec has 1 server \(0 to 0\)$/);
    expect(process.exitCode).toBe(1);
  });
});
