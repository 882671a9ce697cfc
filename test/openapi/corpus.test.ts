import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readOpenApi } from '../../src/openapi/import.js';
import type { ImportPlan } from '../../src/openapi/types.js';
import { checkPlan, codes, manifestRows, openapiDir } from './helpers.js';

// Every OpenAPI spec of the corpus, read in place: it imports with as many transactions as the MANIFEST
// counts operations, or (none here, by the lenient rule) fails with INVALID_SPEC naming file, pointer, reason.
const rows = manifestRows();
const plans = new Map<string, ImportPlan>();

async function plan(file: string): Promise<ImportPlan> {
  let p = plans.get(file);
  if (!p) {
    p = await readOpenApi(join(openapiDir, file));
    plans.set(file, p);
  }
  return p;
}

describe('corpus: every OpenAPI spec imports with the MANIFEST operation count', () => {
  it('reads the MANIFEST table', () => {
    expect(rows.length).toBeGreaterThanOrEqual(22);
    expect(rows.find((r) => r.file.startsWith('digitalocean'))?.ops).toBe(659);
  });

  for (const row of rows) {
    it(`${row.file}: ${row.ops} transactions`, { timeout: 60_000 }, async () => {
      const p = await plan(row.file);
      expect(p.connector.transactions).toHaveLength(row.ops);
      expect(p.operations).toHaveLength(row.ops);
      checkPlan(p);
      // Never a silent partial import: what is not imported is listed.
      if (p.skipped.length) expect(codes(p.warnings).some((c) => c === 'path-item-invalid' || c === 'operation-skipped' || c === 'operation-invalid')).toBe(true);
    });
  }
});

describe('corpus: specs that break the standard import with warnings naming file, pointer and rule', () => {
  it('duplicate operationIds: unique names and a warning naming both operations', async () => {
    const p = await plan('invalid/duplicate-operation-ids-v2.yaml');
    expect(p.connector.transactions.map((t) => t.name)).toEqual(['users', 'users_2']);
    const w = p.warnings.find((x) => x.code === 'duplicate-operation-id')!;
    expect(w).toBeDefined();
    expect(w.file).toContain('duplicate-operation-ids-v2.yaml');
    expect(w.pointer).toBe('/paths/~1users/post/operationId');
    expect(w.rule).toMatch(/operationId is unique/);
    expect(w.message).toContain('GET /users');
    expect(w.message).toContain('"users_2"');
  });

  it('path placeholder without a path parameter: an implied required path variable and a warning', async () => {
    const p = await plan('invalid/path-placeholder-no-param-v2.yaml');
    for (const tx of p.connector.transactions) {
      const foo = tx.variables.find((v) => v.in === 'path' && v.name === 'foo');
      expect(foo, tx.name).toMatchObject({ type: 'string', required: true });
      expect(tx.variables.find((v) => v.name === 'username')).toMatchObject({ in: 'path', required: true });
    }
    const missing = p.warnings.filter((w) => w.code === 'path-param-missing');
    expect(missing).toHaveLength(2);
    expect(missing[0]!.message).toMatch(/\{foo\}/);
    expect(missing.map((w) => w.pointer).sort()).toEqual(['/paths/~1users~1{username}~1{foo}/get', '/paths/~1users~1{username}~1{foo}/post']);
    // GET's `in: body` foo is the Swagger 2 body, sent as the body variable
    const get = p.connector.transactions.find((t) => t.method === 'GET')!;
    expect(get.variables.find((v) => v.in === 'body')).toMatchObject({ name: 'body' });
  });

  it('path item $ref to a schema: that path is skipped and listed, the valid path imports', async () => {
    const p = await plan('invalid/ref-to-invalid-path-v2.yaml');
    expect(p.connector.transactions.map((t) => `${(t as Record<string, unknown>).method} ${(t as Record<string, unknown>).path}`)).toEqual(['GET /users']);
    expect(p.skipped).toHaveLength(1);
    expect(p.skipped[0]!.operation).toBe('/products');
    const w = p.warnings.find((x) => x.code === 'path-item-invalid')!;
    expect(w.pointer).toBe('/paths/~1products');
    expect(w.message).toContain('#/definitions/products');
    expect(w.message).toMatch(/not a Path Item/);
    expect(w.message).toContain('type, properties');
  });

  it('servers that is an object, not a list: read as one server, with a warning; zero operations is explicit', async () => {
    const p = await plan('invalid/servers-not-array-v3.1.yaml');
    expect(p.connector.transactions).toHaveLength(0);
    expect(p.connector.config).toMatchObject({ host: 'localhost', basePath: '/v1' });
    const w = p.warnings.find((x) => x.code === 'servers-not-array')!;
    expect(w).toMatchObject({ pointer: '/servers', rule: 'OpenAPI: servers is an array of Server Objects' });
    expect(w.message).toContain('servers-not-array-v3.1.yaml#/servers');
    expect(codes(p.warnings)).toContain('no-operations');
    expect(codes(p.warnings)).toContain('relative-server');
  });

  it('DigitalOcean: operations given as $refs to other files are followed, each named in a warning', async () => {
    const p = await plan('digitalocean-v3.0/DigitalOcean-public.v2.yaml');
    const refs = p.warnings.filter((w) => w.code === 'operation-ref');
    expect(refs).toHaveLength(659);
    expect(refs[0]!.file).toBe(join(openapiDir, 'digitalocean-v3.0/DigitalOcean-public.v2.yaml'));
    expect(refs[0]!.pointer).toMatch(/^\/paths\/~1v2~1/);
    expect(refs[0]!.rule).toMatch(/Operation Object cannot be a Reference/);
    expect(p.connector.config).toMatchObject({ host: 'api.digitalocean.com', https: true, auth: { type: 'bearer' } });
    expect(JSON.stringify(p.connector.config)).toContain('${env:');
    // the 1,379 code-sample files referenced only from x-codeSamples are never read
    expect(p.spec.files).toBeGreaterThan(1000);
    expect(p.spec.files).toBeLessThan(2850 - 1000);
    const list = p.connector.transactions.find((t) => t.name === 'droplets_list')!;
    expect(list).toMatchObject({ method: 'GET', path: '/v2/droplets', type: 'json' });
    expect(list.variables.map((v) => v.name)).toEqual(expect.arrayContaining(['per_page', 'page']));
    expect(p.schemas['digitalOceanApi.droplets_list']).toBeDefined();
  });

  it('Docker Engine: YAML that js-yaml 5 refuses is read; no host means localhost, with a warning', async () => {
    const p = await plan('docker-engine-v2.yaml');
    expect(p.connector.config).toMatchObject({ host: 'localhost', basePath: expect.stringMatching(/^\/v1\.\d+$/) });
    expect(codes(p.warnings)).toContain('no-host');
    expect(p.connector.transactions.find((t) => t.name === 'ContainerList')).toBeDefined();
  });

  it('the largest import reports progress and can be cancelled mid-way', async () => {
    const ac = new AbortController();
    const phases = new Set<string>();
    const started = readOpenApi(join(openapiDir, 'digitalocean-v3.0/DigitalOcean-public.v2.yaml'), {
      signal: ac.signal,
      onProgress: (p) => {
        phases.add(p.phase);
        if (p.phase === 'load' && (p.done ?? 0) > 100) ac.abort();
      },
    });
    await expect(started).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(phases).toEqual(new Set(['load']));
  });

  it('webhooks are not operations', async () => {
    const p = await plan('oai-webhook-example-v3.1.yaml');
    expect(p.connector.transactions).toHaveLength(0);
    expect(p.warnings.find((w) => w.code === 'webhooks-ignored')!.message).toMatch(/1 webhook/);
  });
});
