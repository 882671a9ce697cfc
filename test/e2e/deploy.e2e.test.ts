import { randomBytes } from 'node:crypto';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { stringify } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startRuntime, type Runtime } from '../../src/runtime/server.js';
import { logSink } from '../runtime/helpers.js';
import { docScreenshot, failureScreenshot, launchBrowser, startBackend, startStudio } from './helpers.js';
import type { Backend, BrowserSession, StudioProcess } from './helpers.js';

/*
 * Project > Export bundle… and Project > Deploy to server…, as a person does them in the studio (web mode,
 * headless Chromium): the export shows its progress then the file path (which exists, and copies to the
 * clipboard); the deploy goes to a runtime this test starts with its admin API on, says clearly when the token
 * is wrong, and once deployed the project's mapped route answers on that runtime.
 */

const TOKEN = 'e2e-admin-token';
let backend: Backend;
let runtime: Runtime;
let studio: StudioProcess;
let browser: BrowserSession;
let page: Page;
let projectDir: string;
/** the version of the first export: the files on disk before any edit */
let exportedVersion = '';

async function writeYaml(file: string, value: unknown): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, stringify(value));
}

beforeAll(async () => {
  backend = await startBackend((req, res) => {
    const sku = new URL(req.url ?? '/', 'http://localhost').searchParams.get('sku');
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ sku, price: 9.5 }));
  });
  runtime = await startRuntime({ sources: [], adminToken: TOKEN, logSpec: 'silent', logDestination: logSink().stream, sessionStore: 'memory' });
  studio = await startStudio({ dirs: [] });
  projectDir = join(studio.home, 'workspace', 'shop');
  await writeYaml(join(projectDir, 'trellis.yaml'), { name: 'shop', formatVersion: 1 });
  await writeYaml(join(projectDir, 'connectors/catalog.yaml'), {
    name: 'catalog',
    kind: 'http',
    config: { host: `127.0.0.1:${backend.port}` },
    transactions: [{ name: 'price', path: '/price', variables: [{ name: 'sku', type: 'string' }] }],
  });
  await writeYaml(join(projectDir, 'sequences/quote.yaml'), {
    name: 'quote',
    variables: [{ name: 'sku', type: 'string', required: true }],
    steps: [
      { id: 'p', kind: 'callTransaction', props: { transaction: 'catalog.price', variables: { sku: { source: { from: 'variables', path: '$.sku' } } } } },
      { id: 'out', kind: 'output', props: { value: { source: { from: 'p', path: '$' } } } },
    ],
  });
  await writeYaml(join(projectDir, 'mappings.yaml'), { routes: [{ method: 'GET', path: '/quotes/{sku}', target: { sequence: 'quote' } }] });
  // data files, so the export has enough to copy and hash that its progress shows
  for (let i = 0; i < 120; i++) await writeYaml(join(projectDir, `files/data-${String(i).padStart(3, '0')}.yaml`), { blob: randomBytes(48 * 1024).toString('base64') });

  browser = await launchBrowser();
  page = browser.page;
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(studio.url).origin });
  await page.goto(studio.url);
  await page.evaluate((dir) => fetch('/api/project.open', { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${sessionStorage.getItem('trellis.token')}` }, body: JSON.stringify({ dir }) }), projectDir);
  await page.reload();
  await page.getByRole('tree', { name: 'Projects' }).getByRole('treeitem', { name: 'shop', exact: true }).waitFor();
}, 90_000);

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') {
    const file = await failureScreenshot(page, ctx.task.name);
    console.error(`screenshot: ${file}\npage errors:\n${browser?.errors.join('\n')}\nstudio stderr (end):\n${studio?.stderr().slice(-3000)}`);
  }
  for (let i = 0; i < 3 && (await page.locator('[aria-modal="true"]').count()) > 0; i++) await page.locator('[aria-modal="true"]').last().press('Escape');
});

afterAll(async () => {
  await browser?.close();
  await studio?.close();
  await runtime?.close();
  await backend?.close();
});

/** Records every progress text the page shows, however briefly (an export of a small project is quick). */
async function watchProgress(): Promise<void> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { progressSeen: string[] }).progressSeen = seen;
    new MutationObserver(() => {
      for (const el of document.querySelectorAll('[role="progressbar"]')) {
        const text = el.getAttribute('aria-valuetext') ?? '';
        if (seen[seen.length - 1] !== text) seen.push(text);
      }
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
}

const progressSeen = () => page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen);

describe('Project > Export bundle… and Deploy to server…', () => {
  test('Export bundle, from the keyboard: progress, then the path of a file that exists', async () => {
    await watchProgress();
    await page.getByRole('button', { name: 'Project', exact: true }).focus();
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toContain('Export bundle…');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Export bundle — shop' });
    await dialog.waitFor();
    const field = dialog.getByRole('textbox', { name: 'Bundle file' });
    await expect.poll(() => field.inputValue()).toMatch(new RegExp(`^${join(studio.home, 'workspace')}/shop-[0-9a-f]{12}\\.trellis$`));
    const expected = await field.inputValue();
    exportedVersion = /shop-([0-9a-f]{12})\.trellis$/.exec(expected)![1]!;
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();

    const path = dialog.getByRole('textbox', { name: 'File', exact: true });
    await path.waitFor({ timeout: 60_000 });
    expect(await path.inputValue()).toBe(expected);
    expect((await stat(expected)).size).toBeGreaterThan(100_000);
    expect(await dialog.getByRole('status').textContent()).toMatch(/Bundle written: shop version [0-9a-f]{12}, 124 files/);
    const seen = await progressSeen();
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.some((t) => /^\d+ of 124 files$/.test(t) || /Checking|Copying|Writing/.test(t))).toBe(true);

    await docScreenshot(page, 'export-bundle');
    await dialog.getByRole('button', { name: 'Copy path' }).click();
    await expect.poll(() => dialog.getByRole('button', { name: 'Copied' }).count()).toBe(1);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(expected);
    await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();
    await expect.poll(() => dialog.count()).toBe(0);
  });

  test('with unsaved edits the dialog asks: the version on disk, or save first', async () => {
    const tree = page.getByRole('tree', { name: 'Projects' });
    await tree.getByRole('treeitem', { name: 'shop', exact: true }).click();
    const description = page.getByRole('region', { name: 'Properties' }).getByRole('textbox', { name: 'Description' });
    await description.fill('Quotes for the shop');
    await description.press('Tab');
    await tree.getByRole('treeitem', { name: 'shop, unsaved changes' }).waitFor();

    const exportOnce = async (choice: RegExp) => {
      await page.getByRole('button', { name: 'Project', exact: true }).click();
      await page.getByRole('menuitem', { name: 'Export bundle…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Export bundle — shop' });
      const group = dialog.getByRole('group', { name: 'Unsaved edits' });
      expect(await group.textContent()).toContain('shop has unsaved edits. What should the bundle hold?');
      await group.getByRole('radio', { name: choice }).check();
      await dialog.getByRole('button', { name: 'Export', exact: true }).click();
      const status = dialog.getByRole('status');
      await expect.poll(() => status.textContent(), { timeout: 60_000 }).toMatch(/Bundle written: shop version ([0-9a-f]{12})/);
      const version = /version ([0-9a-f]{12})/.exec((await status.textContent()) ?? '')![1]!;
      // the default file is named after what it holds, also when the save changed the version
      expect(await dialog.getByRole('textbox', { name: 'File', exact: true }).inputValue()).toBe(join(studio.home, 'workspace', `shop-${version}.trellis`));
      await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();
      return version;
    };

    const onDisk = await exportOnce(/the version saved on disk/);
    expect(onDisk).toBe(exportedVersion);
    expect(await tree.getByRole('treeitem', { name: 'shop, unsaved changes' }).count()).toBe(1);
    const saved = await exportOnce(/Save the project first/);
    expect(saved).not.toBe(exportedVersion);
    await tree.getByRole('treeitem', { name: 'shop', exact: true }).waitFor();
  });

  test('Deploy to server, from the tree: a wrong token is named, then the deployed route answers', async () => {
    await page.getByRole('tree', { name: 'Projects' }).getByRole('treeitem', { name: 'shop', exact: true }).click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Deploy to Server…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Deploy to server — shop' });
    await dialog.waitFor();
    await dialog.getByRole('textbox', { name: 'Server URL' }).fill(runtime.url);
    const token = dialog.getByLabel('Admin token');
    await token.fill('not-the-token');
    await dialog.getByRole('button', { name: 'Deploy', exact: true }).click();
    const alert = dialog.getByRole('alert');
    await expect.poll(() => alert.textContent(), { timeout: 60_000 }).toContain(`${runtime.url} refused the admin token (401)`);
    expect(await token.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await token.getAttribute('aria-invalid')).toBe('true');

    await token.fill(TOKEN);
    await docScreenshot(page, 'deploy');
    await dialog.getByRole('button', { name: 'Deploy', exact: true }).click();
    const status = dialog.getByRole('status');
    await expect.poll(() => status.textContent(), { timeout: 60_000 }).toMatch(new RegExp(`${runtime.url.replace(/[.:/]/g, '\\$&')} now serves shop version [0-9a-f]{12}`));
    expect(await dialog.getByRole('textbox', { name: 'OpenAPI' }).inputValue()).toBe(`${runtime.url}/projects/shop/openapi.json`);
    await docScreenshot(page, 'deploy-done');

    const quote = await fetch(`${runtime.url}/shop/quotes/A-7`);
    expect(quote.status).toBe(200);
    expect(await quote.json()).toEqual({ sku: 'A-7', price: 9.5 });
    // the URL is remembered in the studio's preferences, the token nowhere on disk or in storage
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
    expect(stored).toContain(runtime.url);
    expect(stored).not.toContain(TOKEN);
  });
});
