import { spawn } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../helpers/http-server.js';
import { ITEM_TESTS, startBackend, writeProject } from '../testing/fixture.js';

const repo = resolve(import.meta.dirname, '../..');

function trellis(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(repo, 'bin/trellis.mjs'), ...args], { env: { ...process.env, TRELLIS_LOG: 'silent', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}

const lastLine = (text: string) => text.trimEnd().split('\n').at(-1);

let server: TestServer;
let dir = '';

beforeAll(async () => {
  server = await startBackend();
  dir = await writeProject(server, {
    'tests/items.yaml': ITEM_TESTS,
    'tests/card.yaml': 'target: itemCard\ncases:\n  - name: card of seven\n    variables: { id: "7" }\n    expect:\n      status: 200\n      assertions:\n        - { path: "$.title", equals: "item 7" }\n',
  });
});

afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('trellis test', { timeout: 90_000 }, () => {
  it('runs every case against the real backend: exit 0 and "N passed, N failed" as the last line', async () => {
    // the JUnit file's folder is created when missing (CI writes into a fresh one)
    const junit = join(dir, 'out/junit/results.xml');
    const before = server.requests.length;
    const r = await trellis(['test', dir, '--junit', junit]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^✓ card\/card of seven \(\d+ ms\)$/m);
    expect(r.stdout).toMatch(/^✓ items\/item seven \(\d+ ms\)$/m);
    expect(r.stdout).toMatch(/^✓ items\/missing item \(\d+ ms\)$/m);
    expect(lastLine(r.stdout)).toBe('3 passed, 0 failed');
    expect(server.requests.slice(before).map((q) => q.path).sort()).toEqual(['/items/404', '/items/7', '/items/7']);

    const xml = await readFile(junit, 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false }).parse(xml);
    expect(doc.testsuites).toMatchObject({ '@_tests': '3', '@_failures': '0' });
    expect(doc.testsuites.testsuite.map((s: Record<string, string>) => s['@_name'])).toEqual(['card', 'items']);
  });

  it('a failing assertion: exit 1, expected vs actual printed, a <failure> in the JUnit file', async () => {
    const broken = ITEM_TESTS.replace('equals: "item 7"', 'equals: "item 8"');
    await writeFile(join(dir, 'tests/items.yaml'), broken);
    try {
      const junit = join(dir, 'failing.xml');
      const r = await trellis(['test', dir, '--junit', junit]);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('✗ items/item seven');
      expect(r.stdout).toContain('$.name equals: $.name is "item 7", expected "item 8"');
      expect(r.stdout).toContain('expected: "item 8"');
      expect(r.stdout).toContain('actual:   "item 7"');
      expect(lastLine(r.stdout)).toBe('2 passed, 1 failed');
      const doc = new XMLParser({ ignoreAttributes: false }).parse(await readFile(junit, 'utf8'));
      const items = doc.testsuites.testsuite.find((s: Record<string, string>) => s['@_name'] === 'items');
      expect(items['@_failures']).toBe('1');
      expect(items.testcase[0].failure['@_message']).toBe('$.name equals: $.name is "item 7", expected "item 8"');
    } finally {
      await writeFile(join(dir, 'tests/items.yaml'), ITEM_TESTS);
    }
  });

  it('--filter runs only the matching cases; a filter that matches nothing is exit 1', async () => {
    const r = await trellis(['test', dir, '--filter', 'items/missing*']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('item seven');
    expect(lastLine(r.stdout)).toBe('1 passed, 0 failed');
    const none = await trellis(['test', dir, '--filter', 'nothing-like-this']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no test case matches --filter "nothing-like-this"');
    expect(lastLine(none.stdout)).toBe('0 passed, 0 failed');
  });

  it('a malformed test file is reported as path:line:col and counted as failed; the others still run', async () => {
    await writeFile(join(dir, 'tests/zbroken.yaml'), 'target: api.getItem\ncases:\n  - name: x\n    expect: { statu: 200 }\n');
    try {
      const r = await trellis(['test', dir]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('tests/zbroken.yaml:4:15: cases[0].expect: unknown key "statu"');
      expect(lastLine(r.stdout)).toBe('3 passed, 1 failed');
    } finally {
      await rm(join(dir, 'tests/zbroken.yaml'));
    }
  });

  it('a backend that is down fails the cases with the connection error (exit 1)', async () => {
    const offline = await writeProject({ ...server, host: '127.0.0.1:9' }, { 'tests/items.yaml': ITEM_TESTS });
    try {
      const r = await trellis(['test', offline]);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('execution: CONNECTION_REFUSED');
      expect(lastLine(r.stdout)).toBe('0 passed, 2 failed');
    } finally {
      await rm(offline, { recursive: true, force: true });
    }
  });

  it('a folder without tests is exit 1 with a reason', async () => {
    const empty = await writeProject(server);
    try {
      const r = await trellis(['test', empty]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('has no test files: write tests/<name>.yaml');
      expect(lastLine(r.stdout)).toBe('0 passed, 0 failed');
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
