import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { docScreenshot, failureScreenshot, launchBrowser, startBackend, startStudio } from './helpers.js';
import type { Backend, BrowserSession, StudioProcess } from './helpers.js';

/*
 * Issue 9's debugger in web mode, in headless Chromium: a breakpoint set by clicking a step's gutter dot,
 * F5 pauses there (the step highlighted, the inspector showing variables and earlier outputs), F10 steps
 * over (the highlight moves, a new output appears), F8 continues to the end. Then a conditional breakpoint
 * (right-click › Edit condition…) inside an Iterate, run with the Debug button: the inspector shows the
 * current item and index and filters with its search box; Stop cancels the run.
 */

let root: string;
let backend: Backend;
let studio: StudioProcess;
let browser: BrowserSession;
let page: Page;
const dir = () => join(root, 'shop');

const ITEMS = [
  { id: 1, name: 'Lamp' },
  { id: 2, name: 'Chair' },
  { id: 3, name: 'Desk' },
];

const CARDS = `name: cards
variables:
  - { name: currency, type: string, default: EUR }
steps:
  - { id: items, kind: callTransaction, props: { transaction: catalog.listItems } }
  - id: each
    kind: iterate
    props: { over: { source: { from: items, path: "$" } } }
    steps:
      - { id: label, kind: js, props: { code: "return item.name.toUpperCase()" } }
  - { id: summary, kind: js, props: { code: "return steps.items.length + ' items in ' + currency" } }
  - { id: out, kind: output, props: { value: { source: { from: summary, path: "$" } } } }
`;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'trellis-e2e-debug-'));
  backend = await startBackend((req, res) => {
    if (req.method === 'GET' && req.url === '/api/items') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(ITEMS));
    } else {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: `no route ${req.url}` }));
    }
  });
  await mkdir(join(dir(), 'connectors'), { recursive: true });
  await mkdir(join(dir(), 'sequences'), { recursive: true });
  await writeFile(join(dir(), 'trellis.yaml'), 'name: shop\nformatVersion: 1\n');
  await writeFile(
    join(dir(), 'connectors/catalog.yaml'),
    `name: catalog\nkind: http\nconfig: { host: 127.0.0.1, port: ${backend.port}, https: false, basePath: /api }\ntransactions:\n  - { name: listItems, type: json, method: GET, path: /items }\n`,
  );
  await writeFile(join(dir(), 'sequences/cards.yaml'), CARDS);
  studio = await startStudio({ dirs: [dir()] });
  browser = await launchBrowser();
  page = browser.page;
  await page.goto(studio.url);
  await page.evaluate(() => localStorage.setItem('trellis.pref:layout.bottom', '230'));
  await page.reload();
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') {
    const file = await failureScreenshot(page, `debugger ${ctx.task.name}`);
    console.error(`screenshot: ${file}\npage errors:\n${browser?.errors.join('\n')}\nstudio stderr (end):\n${studio?.stderr().slice(-3000)}`);
  }
});

afterAll(async () => {
  await browser?.close();
  await studio?.close();
  await backend?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

const tree = () => page.getByRole('tree', { name: 'Projects' });
const item = (name: string) => tree().getByRole('treeitem', { name, exact: true });
const canvas = () => page.getByRole('listbox', { name: 'Steps of cards' });
const node = (id: string) => page.locator(`[data-step-id="${id}"]`);
const gutter = (id: string) => node(id).locator('.seq-bp');
const inspector = () => page.getByRole('region', { name: 'Debug inspector' });
const debugBar = () => page.getByRole('toolbar', { name: 'Debug' });
const responseStatus = () => page.locator('#bottom-panel-response').getByRole('status', { name: 'Response status' });
const pausedStep = () => page.locator('.seq-node.debug-paused').getAttribute('data-step-id');

async function text(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').replace(/\u00a0/g, ' ');
}

/** The rows of one inspector tree (Variables, Step outputs, Enclosing loops) as "key: value" lines. */
async function rows(tree: string): Promise<string[]> {
  return inspector()
    .getByRole('tree', { name: tree })
    .locator(':scope > li > .dbg-row')
    .evaluateAll((els) => els.map((e) => `${e.querySelector('.dbg-key')?.textContent}: ${e.querySelector('.dbg-value')?.textContent}`));
}

describe('the debugger on the canvas', () => {
  test('a gutter breakpoint, F5 pauses there, F10 steps over, F8 continues to the end', async () => {
    await expect.poll(() => tree().isVisible(), { timeout: 20000 }).toBe(true);
    if (!(await item('cards').isVisible())) await item('Sequences').click();
    await item('cards').click();
    await expect.poll(() => canvas().isVisible()).toBe(true);

    // a click in the gutter of `summary` sets a breakpoint, shown on the node
    await gutter('summary').click();
    await expect.poll(() => gutter('summary').getAttribute('data-breakpoint')).toBe('set');
    await expect.poll(() => gutter('summary').getAttribute('aria-pressed')).toBe('true');

    // F5 on a sequence with breakpoints runs it under the debugger
    await canvas().focus();
    await page.keyboard.press('F5');
    await expect.poll(() => pausedStep(), { timeout: 20000 }).toBe('summary');
    await expect.poll(() => debugBar().isVisible()).toBe(true);
    await expect.poll(() => text(inspector())).toContain('Paused before summary');
    expect(await rows('Variables')).toEqual(['currency: "EUR"']);
    expect(await rows('Step outputs')).toEqual(['items: [3]', 'each: {count}', 'label: "DESK"']);
    // a tree opens on a click: the items the upstream answered
    await inspector().getByRole('tree', { name: 'Step outputs' }).locator('.dbg-row').filter({ hasText: 'items' }).first().click();
    await expect.poll(() => text(inspector().getByRole('tree', { name: 'Step outputs' }))).toContain('{id, name}');
    expect(await text(inspector().getByRole('list', { name: 'Call stack' }))).toContain('cards › summary');

    // F10: the highlight moves to the next step and summary's output appears
    await page.keyboard.press('F10');
    await expect.poll(() => pausedStep()).toBe('out');
    await expect.poll(() => rows('Step outputs')).toContain('summary: "3 items in EUR"');

    // F8: on to the end, the result in the Response panel, the debug pane gone
    await page.keyboard.press('F8');
    await expect.poll(() => text(responseStatus()), { timeout: 20000 }).toMatch(/^Done/);
    await expect.poll(() => debugBar().count()).toBe(0);
    await expect.poll(() => page.locator('.seq-node.debug-paused').count()).toBe(0);
    await expect.poll(() => text(page.locator('#bottom-panel-response'))).toContain('3 items in EUR');
  });

  test('a conditional breakpoint in an Iterate shows the current item and index; the search box filters; Stop cancels', async () => {
    // F9 on the selected step removes the breakpoint of `summary`
    await node('summary').click();
    await page.keyboard.press('F9');
    await expect.poll(() => gutter('summary').getAttribute('data-breakpoint')).toBe('none');

    // right-click › Edit condition… on the gutter of `label`
    await gutter('label').click({ button: 'right' });
    await page.getByRole('menuitem', { name: /Edit condition/ }).click();
    const dialog = page.getByRole('dialog', { name: /Breakpoint condition — label/ });
    await dialog.getByLabel('Pause when').fill('index === 1');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => gutter('label').getAttribute('data-breakpoint')).toBe('conditional');

    await page.locator('.seq-bar').getByRole('button', { name: 'Debug', exact: true }).click();
    await expect.poll(() => pausedStep(), { timeout: 20000 }).toBe('label');
    await expect.poll(() => text(inspector())).toContain('index === 1');
    expect(await rows('Enclosing loops')).toEqual(['each: {item, index}']);
    await inspector().getByRole('tree', { name: 'Enclosing loops' }).locator('.dbg-row').first().click();
    await expect.poll(() => text(inspector().getByRole('tree', { name: 'Enclosing loops' }))).toMatch(/index1$/);
    await expect.poll(() => text(inspector().getByRole('tree', { name: 'Enclosing loops' }))).toContain('{id, name}');
    // the label of the first pass is there, that of the second not yet
    expect(await rows('Step outputs')).toEqual(['items: [3]', 'each: {item, index, count}', 'label: "LAMP"']);

    await inspector().getByRole('tree', { name: 'Enclosing loops' }).locator('.dbg-row').filter({ hasText: 'item' }).nth(1).click();
    await expect.poll(() => text(inspector().getByRole('tree', { name: 'Enclosing loops' }))).toContain('"Chair"');
    await expect.poll(() => text(responseStatus())).toContain('Paused before label in cards');
    await docScreenshot(page, 'debugger');

    // the search box keeps what matches, in keys and values
    await inspector().getByRole('searchbox', { name: 'Search variables and outputs' }).fill('chair');
    await expect.poll(() => rows('Step outputs')).toEqual(['items: [3]', 'each: {item, index, count}']);
    await expect.poll(() => text(inspector().getByRole('tree', { name: 'Step outputs' }))).toContain('"Chair"');
    await expect.poll(() => inspector().getByRole('tree', { name: 'Variables' }).count()).toBe(0);

    // Stop (Shift+F5): the run ends cancelled
    await debugBar().getByRole('button', { name: /^Stop/ }).click();
    await expect.poll(() => text(page.locator('#bottom-panel-response')), { timeout: 20000 }).toContain('CANCELLED');
    await expect.poll(() => debugBar().count()).toBe(0);
  });

  test('Ctrl+F5 without breakpoints pauses at the first step; F11 steps into an Iterate; Shift+F5 stops', async () => {
    await gutter('label').click();
    await expect.poll(() => gutter('label').getAttribute('data-breakpoint')).toBe('none');
    await canvas().focus();
    await page.keyboard.press('Control+F5');
    await expect.poll(() => pausedStep(), { timeout: 20000 }).toBe('items');
    await expect.poll(() => text(inspector())).toContain('on step');
    await page.keyboard.press('F11');
    await expect.poll(() => pausedStep()).toBe('each');
    await page.keyboard.press('F11');
    await expect.poll(() => pausedStep()).toBe('label');
    expect(await rows('Enclosing loops')).toEqual(['each: {item, index}']);
    // Shift+F11 leaves the Iterate
    await page.keyboard.press('Shift+F11');
    await expect.poll(() => pausedStep()).toBe('summary');
    await page.keyboard.press('Shift+F5');
    await expect.poll(() => text(page.locator('#bottom-panel-response')), { timeout: 20000 }).toContain('CANCELLED');
    await expect.poll(() => page.locator('.seq-node.debug-paused').count()).toBe(0);
  });
});
