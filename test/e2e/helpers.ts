import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const FAILURE_SCREENSHOTS = join(ROOT, 'test/e2e/__screenshots__');
export const DOC_SCREENSHOTS = join(ROOT, 'docs/screenshots');
export const VIEWPORT = { width: 1280, height: 800 };

export interface StudioProcess {
  url: string;
  home: string;
  child: ChildProcess;
  /** everything the studio wrote to stderr (its logs), for failure messages */
  stderr(): string;
  close(): Promise<void>;
}

/**
 * Starts `trellis studio [dirs] --port 0` in web mode with HOME set to `home` (a temporary folder
 * unless given) and resolves with the URL it prints.
 */
export async function startStudio(options: { dirs?: string[]; home?: string; command?: string[]; timeoutMs?: number } = {}): Promise<StudioProcess> {
  const home = options.home ?? (await mkdtemp(join(tmpdir(), 'trellis-e2e-home-')));
  const args = options.command ?? [join(ROOT, 'bin/trellis.mjs'), 'studio', ...(options.dirs ?? []), '--port', '0'];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, HOME: home, USERPROFILE: home, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
    if (err.length > 200_000) err = err.slice(-100_000);
  });
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`the studio printed no URL within ${options.timeoutMs ?? 30000} ms\nstdout: ${out}\nstderr: ${err}`)), options.timeoutMs ?? 30000);
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const m = /Trellis studio \(web mode\): (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the studio exited with code ${code} before printing its URL\nstdout: ${out}\nstderr: ${err}`));
    });
  });
  return {
    url,
    home,
    child,
    stderr: () => err,
    async close() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      if (!options.home) await rm(home, { recursive: true, force: true });
    },
  };
}

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** messages the page logged as errors and uncaught exceptions */
  errors: string[];
  close(): Promise<void>;
}

/** Headless Debian Chromium through playwright-core, with its own temporary profile. */
export async function launchBrowser(): Promise<BrowserSession> {
  const profile = await mkdtemp(join(tmpdir(), 'trellis-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: VIEWPORT,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(10000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return {
    context,
    page,
    errors,
    async close() {
      await context.close().catch(() => {});
      await rm(profile, { recursive: true, force: true });
    },
  };
}

export interface Backend {
  port: number;
  host: string;
  requests: { method: string; url: string }[];
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 for transactions to call. */
export async function startBackend(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<Backend> {
  const requests: { method: string; url: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      requests.push({ method: req.method ?? 'GET', url: req.url ?? '/' });
      handler(req, res, body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    host: '127.0.0.1',
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 120) || 'screen';
}

/** Saves a screenshot of a failed test under test/e2e/__screenshots__ and returns its path. */
export async function failureScreenshot(page: Page | undefined, testName: string): Promise<string | null> {
  if (!page || page.isClosed()) return null;
  await mkdir(FAILURE_SCREENSHOTS, { recursive: true });
  const file = join(FAILURE_SCREENSHOTS, `${safeName(testName)}.png`);
  await page.screenshot({ path: file }).catch(() => {});
  return file;
}

/** Saves a documentation screenshot (1280x800) under docs/screenshots. */
export async function docScreenshot(page: Page, name: string): Promise<void> {
  await mkdir(DOC_SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(DOC_SCREENSHOTS, `${name}.png`) });
}

/** Polls until `check` stops throwing (for effects that cross processes: files on disk, watchers). */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 10000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }
}
