import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { stringify } from 'yaml';
import { startRuntime, type Runtime, type RuntimeOptions } from '../../src/runtime/server.js';

export const repo = resolve(import.meta.dirname, '../..');

/** A project folder written from plain objects: { 'trellis.yaml': {...}, 'sequences/x.yaml': {...}, 'schemas/x.json': {...} }. */
export async function writeProject(files: Record<string, unknown>, root?: string): Promise<string> {
  const dir = root ?? (await mkdtemp(join(tmpdir(), 'trellis-rt-')));
  for (const [rel, value] of Object.entries(files)) {
    await mkdir(dirname(join(dir, rel)), { recursive: true });
    const text = typeof value === 'string' ? value : rel.endsWith('.json') ? JSON.stringify(value, null, 2) : stringify(value);
    await writeFile(join(dir, rel), text);
  }
  return dir;
}

export const removeDir = (dir: string) => rm(dir, { recursive: true, force: true });

/** Captures the runtime's pino lines (JSON) instead of writing them to stderr. */
export function logSink(): { stream: Writable; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        try {
          lines.push(JSON.parse(line) as Record<string, unknown>);
        } catch {}
      }
      done();
    },
  });
  return { stream, lines };
}

/** An in-process runtime serving project folders, quiet unless TRELLIS_TEST_LOG is set. */
export async function serve(dirs: string[], options: Partial<RuntimeOptions> = {}): Promise<Runtime> {
  return startRuntime({
    sources: dirs.map((path) => ({ kind: 'folder' as const, path })),
    logSpec: process.env.TRELLIS_TEST_LOG ?? 'silent',
    logDestination: logSink().stream,
    sessionStore: 'memory',
    ...options,
  });
}

export interface Answer {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

/** fetch + JSON body when there is one. */
export async function call(url: string, init: RequestInit & { json?: unknown } = {}): Promise<Answer> {
  const { json, ...rest } = init;
  const res = await fetch(url, json === undefined ? rest : { ...rest, method: rest.method ?? 'POST', headers: { 'content-type': 'application/json', ...(rest.headers ?? {}) }, body: JSON.stringify(json) });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {}
  return { status: res.status, headers: res.headers, body, text };
}

/** A request with the path sent exactly as given (fetch would normalise `..` away). */
export function rawRequest(port: number, path: string, method = 'GET'): Promise<{ status: number; text: string }> {
  return new Promise((done, fail) => {
    const req = http.request({ host: '127.0.0.1', port, path, method, agent: false }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => done({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', fail);
    req.end();
  });
}

/** `node bin/trellis.mjs serve ...` as a child process; resolves once it printed its URL. */
export async function spawnServe(args: string[], env: Record<string, string> = {}): Promise<{ url: string; child: ChildProcess; stderr: () => string; stop(): Promise<number | null> }> {
  const child = spawn(process.execPath, [join(repo, 'bin/trellis.mjs'), 'serve', '--port', '0', ...args], {
    env: { ...process.env, TRELLIS_LOG: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`trellis serve did not start in 30 s: ${stderr}`)), 30_000);
    child.stdout!.on('data', (d) => {
      stdout += d;
      const m = /(http:\/\/\S+)/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        done(m[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`trellis serve exited with ${code}: ${stderr}`));
    });
  });
  return {
    url,
    child,
    stderr: () => stderr,
    stop: () =>
      new Promise((done) => {
        if (child.exitCode !== null) return done(child.exitCode);
        child.once('exit', (code) => done(code));
        child.kill('SIGTERM');
      }),
  };
}
