import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { ROOT, docScreenshot, failureScreenshot, launchBrowser, startBackend, startStudio } from './helpers.js';
import type { Backend, BrowserSession, StudioProcess } from './helpers.js';

/*
 * Import > REST WS reference, as a person does it in the studio (web mode, headless Chromium):
 * - the Uber Swagger 2.0 spec of the corpus, pointed at a local HTTP server, is chosen with the file
 *   picker, previewed (5 operations in 3 tags), imported without one operation, and one imported
 *   transaction runs with F5 against the local server;
 * - a broken spec is refused with its file, JSON pointer and reason, the field to fix focused;
 * - the largest corpus spec (DigitalOcean: 659 operations in ~2,900 files) is read with progress shown
 *   while the studio keeps answering, can be cancelled, and is previewed in full.
 */

const CORPUS = resolve(ROOT, '../shared/corpus/openapi');
const UBER = join(CORPUS, 'oai-uber-v2.json');
const DIGITALOCEAN = join(CORPUS, 'digitalocean-v3.0/DigitalOcean-public.v2.yaml');

let backend: Backend;
let studio: StudioProcess;
let browser: BrowserSession;
let page: Page;
let specs: string;
let projectDir: string;

beforeAll(async () => {
  backend = await startBackend((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && url.pathname === '/v1/products') {
      const latitude = Number(url.searchParams.get('latitude'));
      const longitude = Number(url.searchParams.get('longitude'));
      if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) return json(400, { message: 'latitude and longitude are required', code: 'bad_request' });
      return json(200, {
        products: [
          { product_id: 'a1111c8c-c720-46c3-8534-2fcdd730040d', display_name: 'uberX near the bay', description: `around ${latitude},${longitude}`, capacity: 4, image: 'http://127.0.0.1/x.png' },
          { product_id: 'd4abaae7-f4d6-4152-91cc-77523e8165a4', display_name: 'uberBLACK', description: 'The original Uber', capacity: 4, image: 'http://127.0.0.1/b.png' },
        ],
      });
    }
    if (req.method === 'GET' && url.pathname === '/v1/me') return json(200, { first_name: 'Uber', last_name: 'Developer', email: 'developer@uber.com', picture: '', promo_code: 'teypo' });
    json(404, { message: `no route ${url.pathname}`, code: 'not_found' });
  });

  studio = await startStudio();
  const workspace = join(studio.home, 'workspace');
  specs = join(workspace, 'specs');
  projectDir = join(workspace, 'rides');
  await mkdir(specs, { recursive: true });
  await mkdir(join(projectDir, 'connectors'), { recursive: true });
  await mkdir(join(projectDir, 'sequences'), { recursive: true });
  await writeFile(join(projectDir, 'trellis.yaml'), 'name: rides\nformatVersion: 1\n');

  // the corpus spec, read in place and copied with its server pointed at the local backend
  const uber = JSON.parse(await readFile(UBER, 'utf8'));
  Object.assign(uber, { host: `127.0.0.1:${backend.port}`, schemes: ['http'], basePath: '/v1' });
  await writeFile(join(specs, 'uber.json'), JSON.stringify(uber, null, 2));
  await writeFile(join(specs, 'notes.txt'), 'not a spec: the file picker leaves it out');
  await writeFile(join(specs, 'broken.yaml'), 'swagger: "2.0"\ninfo: { title: Broken, version: "1" }\npaths:\n  /a: oops\n');

  browser = await launchBrowser();
  page = browser.page;
  await page.goto(studio.url);
  await page.evaluate((dir) => fetch('/api/project.open', { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${sessionStorage.getItem('trellis.token')}` }, body: JSON.stringify({ dir }) }), projectDir);
  await page.reload();
}, 60000);

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') {
    const file = await failureScreenshot(page, ctx.task.name);
    console.error(`screenshot: ${file}\npage errors:\n${browser?.errors.join('\n')}\nstudio stderr (end):\n${studio?.stderr().slice(-3000)}`);
  }
  // a failed test leaves no dialog over the next one
  for (let i = 0; i < 3 && (await page.locator('[aria-modal="true"]').count()) > 0; i++) await page.keyboard.press('Escape');
});

afterAll(async () => {
  await browser?.close();
  await studio?.close();
  await backend?.close();
});

const tree = () => page.getByRole('tree', { name: 'Projects' });
const item = (name: string) => tree().getByRole('treeitem', { name, exact: true });
const wizard = () => page.getByRole('dialog', { name: 'Import REST WS reference' });
const responsePanel = () => page.locator('#bottom-panel-response');
const operationRows = (dialog: Locator) => dialog.locator('.op-row');
const groupRows = (dialog: Locator) => dialog.locator('.op-group-row');

async function text(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').replace(/\u00a0/g, ' ');
}

async function openWizardFromTree(): Promise<Locator> {
  // the project row says "rides, unsaved changes" once something was imported
  await tree().getByRole('treeitem', { name: /^rides(, unsaved changes)?$/ }).click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Import REST WS reference…' }).click();
  await expect.poll(() => wizard().isVisible()).toBe(true);
  return wizard();
}

describe('Import REST WS reference (OpenAPI)', () => {
  test('imports the Uber spec chosen with the file picker and runs an imported transaction with F5', async () => {
    await expect.poll(() => item('rides').isVisible(), { timeout: 15000 }).toBe(true);
    const dialog = await openWizardFromTree();
    // focus is trapped in the wizard and starts in the source field
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.field)).toBe('source');

    await dialog.getByRole('button', { name: 'Browse…' }).click();
    const picker = page.getByRole('dialog', { name: 'Choose the OpenAPI or Swagger file' });
    await expect.poll(() => picker.isVisible()).toBe(true);
    const path = picker.getByLabel('File path');
    await path.fill(specs);
    await path.press('Enter');
    const list = picker.getByRole('listbox', { name: 'Folders and files' });
    await expect.poll(() => list.getByRole('option').allTextContents()).toEqual([expect.stringContaining('broken.yaml'), expect.stringContaining('uber.json')]);
    await list.getByRole('option', { name: 'uber.json' }).dblclick();
    await expect.poll(() => picker.count()).toBe(0);
    await expect.poll(() => dialog.getByLabel('Spec file or URL').inputValue()).toBe(join(specs, 'uber.json'));

    // reading the spec names the connector after its title, which says it will be created
    await expect.poll(() => dialog.getByLabel('Connector').inputValue(), { timeout: 20000 }).toBe('uberApi');
    await expect.poll(() => text(dialog)).toContain('Creates a new HTTP connector uberApi');
    await expect.poll(() => text(dialog)).toContain('5 operations');

    await page.keyboard.press('Enter'); // Next
    await expect.poll(() => dialog.getByRole('group', { name: 'Operations', exact: true }).isVisible()).toBe(true);
    await expect.poll(() => groupRows(dialog).allTextContents()).toEqual([
      expect.stringMatching(/^Products\s*1 of 1 selected/),
      expect.stringMatching(/^Estimates\s*2 of 2 selected/),
      expect.stringMatching(/^User\s*2 of 2 selected/),
    ]);
    await expect.poll(() => operationRows(dialog).count()).toBe(5);
    await expect.poll(() => text(dialog.locator('.import-selected-count'))).toBe('5 of 5 selected');
    const products = dialog.getByRole('checkbox', { name: /GET\s*\/products\s*getProducts/ });
    expect(await products.isChecked()).toBe(true);
    expect(await text(dialog.locator('.op-row', { hasText: 'getProducts' }).locator('.method'))).toBe('GET');
    expect(await text(dialog.getByRole('tab', { name: /Warnings/ }))).toMatch(/Warnings\s*0/);
    await docScreenshot(page, 'import-wizard');

    // leave one operation out: its group shows "some"
    await dialog.getByRole('checkbox', { name: /getHistory/ }).uncheck();
    await expect.poll(() => text(dialog.locator('.import-selected-count'))).toBe('4 of 5 selected');
    expect(await dialog.getByRole('checkbox', { name: 'All operations tagged User' }).getAttribute('aria-checked')).toBe('mixed');
    // a group collapses and opens again
    await dialog.getByRole('button', { name: 'Collapse Estimates' }).click();
    await expect.poll(() => operationRows(dialog).count()).toBe(3);
    await dialog.getByRole('button', { name: 'Expand Estimates' }).click();
    await expect.poll(() => operationRows(dialog).count()).toBe(4 + 1);

    await dialog.getByRole('button', { name: 'Import 4' }).click();
    await expect.poll(() => dialog.getByRole('definition').allTextContents(), { timeout: 20000 }).toEqual(['4 transactions', '0', '0']);
    await expect.poll(() => text(dialog)).toContain('4 operations imported into the connector uberApi');
    await page.keyboard.press('Enter'); // Open connector
    await expect.poll(() => wizard().count()).toBe(0);
    await expect.poll(() => item('uberApi').getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => item('getProducts').isVisible()).toBe(true);
    expect(await item('getHistory').count()).toBe(0);

    // the imported transaction runs against the local server with its query variables
    await item('getProducts').click();
    await responsePanel().getByLabel('latitude', { exact: true }).fill('37.7759792');
    await responsePanel().getByLabel('longitude', { exact: true }).fill('-122.41823');
    await tree().focus();
    await page.keyboard.press('F5');
    await expect.poll(() => text(responsePanel()), { timeout: 15000 }).toContain('uberX near the bay');
    await expect.poll(() => text(responsePanel())).toContain('around 37.7759792,-122.41823');
    await expect.poll(() => text(responsePanel())).toContain('200');
    const call = backend.requests.find((r) => r.url.startsWith('/v1/products'));
    expect(call?.url).toMatch(/latitude=37\.7759792/);
    expect(call?.url).toMatch(/longitude=-122\.41823/);
  });

  test('re-imports into the connector: shows the new, unchanged and removed operations before applying', async () => {
    // the spec changed: /me is gone (getHistory was left out of the first import)
    const uber = JSON.parse(await readFile(join(specs, 'uber.json'), 'utf8'));
    delete uber.paths['/me'];
    await writeFile(join(specs, 'uber-next.json'), JSON.stringify(uber, null, 2));

    await item('uberApi').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Import REST WS reference…' }).click();
    const dialog = wizard();
    await expect.poll(() => dialog.getByLabel('Connector').inputValue()).toBe('uberApi');
    await expect.poll(() => text(dialog)).toContain('Updates the existing connector uberApi');
    await dialog.getByLabel('Spec file or URL').fill(join(specs, 'uber-next.json'));
    await page.keyboard.press('Enter'); // Next
    await expect.poll(() => dialog.getByRole('group', { name: 'Operations', exact: true }).isVisible(), { timeout: 20000 }).toBe(true);
    await expect.poll(() => text(dialog.getByLabel('Import summary'))).toContain('1 new, 0 updated, 3 unchanged, 1 removed');
    expect(await text(dialog.locator('.op-row', { hasText: 'getHistory' }).locator('.op-change'))).toBe('new');
    expect(await text(dialog.locator('.op-row', { hasText: 'getProducts' }).locator('.op-change'))).toBe('unchanged');
    await dialog.getByRole('tab', { name: /Removed/ }).click();
    await expect.poll(() => dialog.getByRole('list', { name: 'Removed operations' }).textContent()).toContain('getMe');
    await page.keyboard.press('Escape');
    await expect.poll(() => wizard().count()).toBe(0);
  });

  test('names the file, JSON pointer and reason of a broken spec and focuses the field to fix', async () => {
    const dialog = await openWizardFromTree();
    const source = dialog.getByLabel('Spec file or URL');
    await source.fill(join(specs, 'broken.yaml'));
    await page.keyboard.press('Enter'); // Next
    const panel = dialog.getByRole('alert', { name: 'The spec cannot be imported' });
    await expect.poll(() => panel.isVisible(), { timeout: 15000 }).toBe(true);
    const message = await text(panel);
    expect(message).toContain(join(specs, 'broken.yaml'));
    expect(message).toContain('/paths/~1a');
    expect(message).toMatch(/must be an object/);
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.field)).toBe('source');
    // still on the first page; Esc closes the wizard and changes nothing
    expect(await dialog.getByRole('group', { name: 'Source', exact: true }).count()).toBe(1);
    await page.keyboard.press('Escape');
    await expect.poll(() => wizard().count()).toBe(0);
  });

  test('reads the largest corpus spec with progress while the studio stays responsive, cancels, then previews its 659 operations', async () => {
    // watch the renderer's main thread: any task longer than 50 ms is reported by the browser
    await page.evaluate(() => {
      const w = window as unknown as { longTasks: number[] };
      w.longTasks = [];
      new PerformanceObserver((list) => w.longTasks.push(...list.getEntries().map((e) => e.duration))).observe({ type: 'longtask' });
    });
    await page.getByRole('toolbar', { name: 'Main toolbar' }).getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('menuitem', { name: 'REST WS reference (OpenAPI)…' }).click();
    const dialog = wizard();
    await expect.poll(() => dialog.isVisible()).toBe(true);
    const source = dialog.getByLabel('Spec file or URL');
    await source.fill(DIGITALOCEAN);

    // 1. cancel: Next starts reading, Cancel stops it and the wizard stays on its first page
    await page.keyboard.press('Enter');
    const progress = dialog.getByRole('status', { name: 'Reading the spec' });
    await expect.poll(() => progress.isVisible(), { timeout: 5000 }).toBe(true);
    await dialog.getByRole('button', { name: 'Cancel reading the spec' }).click();
    await expect.poll(() => progress.count()).toBe(0);
    await expect.poll(() => text(dialog)).toContain('Reading the spec was cancelled.');
    expect(await dialog.getByRole('group', { name: 'Source', exact: true }).count()).toBe(1);

    // 2. read it all: progress (phase, count, elapsed time) while the studio keeps answering
    const started = Date.now();
    await page.keyboard.press('Enter');
    await expect.poll(() => progress.isVisible(), { timeout: 5000 }).toBe(true);
    const seen = { counts: new Set<string>(), elapsed: new Set<string>(), phases: new Set<string>() };
    const keys: number[] = [];
    const frames: number[] = [];
    const engine: number[] = [];
    const activeElement = () => page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120) ?? '');
    while ((await progress.count()) > 0 && Date.now() - started < 50000) {
      const snapshot = await progress
        .evaluate((el) => ({
          count: el.querySelector('.import-progress-count')?.textContent ?? '',
          elapsed: el.querySelector('.import-progress-elapsed')?.textContent ?? '',
          phase: el.querySelector('.import-progress-phase')?.textContent ?? '',
        }))
        .catch(() => null);
      if (snapshot) {
        seen.counts.add(snapshot.count);
        seen.elapsed.add(snapshot.elapsed);
        seen.phases.add(snapshot.phase);
      }
      // the renderer: a key is handled at once (Tab moves the focus, trapped in the wizard) and frames keep coming
      const before = await activeElement();
      const t = Date.now();
      await page.keyboard.press('Tab');
      await expect.poll(activeElement, { interval: 10 }).not.toBe(before);
      keys.push(Date.now() - t);
      frames.push(
        await page
          .evaluate(
            () =>
              new Promise<number>((r) => {
                const t0 = performance.now();
                requestAnimationFrame(() => r(performance.now() - t0));
              }),
          )
          .catch(() => 0),
      );
      // the engine: another call is answered meanwhile
      engine.push(
        await page
          .evaluate(async () => {
            const t0 = performance.now();
            await fetch('/api/workspace.get', { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${sessionStorage.getItem('trellis.token')}` }, body: '{}' });
            return performance.now() - t0;
          })
          .catch(() => 0),
      );
      await page.waitForTimeout(100);
    }
    await expect.poll(() => dialog.getByRole('group', { name: 'Operations', exact: true }).isVisible(), { timeout: 50000 }).toBe(true);
    const round = (xs: number[]) => JSON.stringify(xs.map(Math.round));
    console.log(`DigitalOcean preview in ${Date.now() - started} ms; key ${round(keys)} ms; frame ${round(frames)} ms; engine call ${round(engine)} ms; progress ${JSON.stringify([...seen.counts])}`);
    expect([...seen.phases].join(' | ')).toMatch(/Loading files and their \$refs/);
    expect([...seen.counts].filter((c) => /\d+ of \d+ (files|operations)/.test(c)).length).toBeGreaterThan(1); // the count moved
    expect(seen.elapsed.size).toBeGreaterThan(1); // the clock ticked
    expect(keys.length).toBeGreaterThan(0);
    expect(Math.max(...keys)).toBeLessThan(500);
    expect(Math.max(...frames)).toBeLessThan(500);
    // the engine reads ~2,900 files meanwhile and still answers another call (some margin for a busy CI box)
    expect(Math.max(...engine)).toBeLessThan(1000);

    // 3. the preview: 659 operations, tag groups collapsed, selection counts, warnings tab
    await expect.poll(() => text(dialog.locator('.import-selected-count'))).toBe('659 of 659 selected');
    expect(await text(dialog.getByRole('tab', { name: /Operations/ }))).toMatch(/Operations\s*659/);
    expect(await operationRows(dialog).count()).toBe(0);
    await dialog.getByRole('tab', { name: /Warnings/ }).click();
    await expect.poll(() => text(dialog.getByLabel('Warnings', { exact: true }))).toContain('an Operation Object cannot be a Reference');
    await dialog.getByRole('tab', { name: /Operations/ }).click();
    const groups = await groupRows(dialog).count();
    expect(groups).toBeGreaterThan(5);
    // the list is virtualized: only the rows in view are drawn, and a filter answers at once
    const filter = dialog.getByLabel('Filter operations');
    const t0 = Date.now();
    await filter.fill('dropletActions');
    await expect.poll(() => operationRows(dialog).count()).toBeGreaterThan(0);
    expect(Date.now() - t0).toBeLessThan(2000);
    await filter.fill('');
    await dialog.getByRole('button', { name: 'Expand all' }).click();
    const drawn = await dialog.locator('.op-row, .op-group-row').count();
    expect(drawn).toBeGreaterThan(5);
    expect(drawn).toBeLessThan(80);
    await dialog.getByRole('button', { name: 'Select none' }).click();
    await expect.poll(() => text(dialog.locator('.import-selected-count'))).toBe('0 of 659 selected');
    expect(await dialog.getByRole('button', { name: /^Import/ }).last().isDisabled()).toBe(true);

    const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
    expect(Math.max(0, ...longTasks)).toBeLessThan(500);

    await page.keyboard.press('Escape');
    await expect.poll(() => wizard().count()).toBe(0);
  }, 90000);

  test('threw no uncaught exception in the page', () => {
    expect(browser.errors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  });
});
