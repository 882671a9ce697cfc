import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { docScreenshot, failureScreenshot, launchBrowser, startBackend, startStudio } from './helpers.js';
import type { Backend, BrowserSession, StudioProcess } from './helpers.js';

/*
 * Issue 5's scenario on the canvas, in web mode in headless Chromium: a project whose HTTP connector has
 * listItems and getItem; execute listItems and update its schema; New > Sequence; Ctrl+drag listItems from
 * the tree onto the canvas (a Call Transaction step); drag a JSON Array and an Iterate from the palette;
 * set the Iterate's `over` with the source picker; Ctrl+drag getItem into the Iterate and pick `item.id`
 * for its id; add a JSON Value; F5; the output in the Response panel and the trace on the canvas. Then
 * the keyboard (arrows, Alt+arrows, copy/paste, delete, undo), a failing step highlighted, the JS editor.
 * The scenarios build on each other, in order.
 */

let root: string;
let backend: Backend;
let studio: StudioProcess;
let browser: BrowserSession;
let page: Page;
/** an item id the backend answers with 500, to see a failing step */
let failId: number | null = null;
const dir = () => join(root, 'shop');

const ITEMS = [
  { id: 1, name: 'Lamp' },
  { id: 2, name: 'Chair' },
  { id: 3, name: 'Desk' },
];

async function writeProject(port: number): Promise<void> {
  await mkdir(join(dir(), 'connectors'), { recursive: true });
  await mkdir(join(dir(), 'sequences'), { recursive: true });
  await writeFile(join(dir(), 'trellis.yaml'), 'name: shop\nformatVersion: 1\n');
  await writeFile(
    join(dir(), 'connectors/catalog.yaml'),
    [
      'name: catalog',
      'kind: http',
      'config:',
      '  host: 127.0.0.1',
      `  port: ${port}`,
      '  https: false',
      '  basePath: /api',
      'transactions:',
      '  - name: listItems',
      '    type: json',
      '    method: GET',
      '    path: /items',
      '  - name: getItem',
      '    type: json',
      '    method: GET',
      '    path: /items/{id}',
      '    variables:',
      '      - { name: id, type: integer, required: true }',
      '',
    ].join('\n'),
  );
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'trellis-e2e-seq-'));
  backend = await startBackend((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const one = /^\/api\/items\/(\d+)$/.exec(url.pathname);
    if (req.method === 'GET' && url.pathname === '/api/items') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(ITEMS));
    } else if (req.method === 'GET' && one) {
      const id = Number(one[1]);
      const found = ITEMS.find((i) => i.id === id);
      if (id === failId) {
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: 'stock service down' }));
      } else if (found) {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ ...found, price: id * 10, stock: id % 2 === 0 }));
      } else {
        res.writeHead(404, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: 'no such item' }));
      }
    } else {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: `no route ${url.pathname}` }));
    }
  });
  await writeProject(backend.port);
  studio = await startStudio({ dirs: [dir()] });
  browser = await launchBrowser();
  page = browser.page;
  await page.goto(studio.url);
  // a lower bottom panel leaves the canvas more room (a layout preference, as dragging the splitter would)
  await page.evaluate(() => localStorage.setItem('trellis.pref:layout.bottom', '270'));
  await page.reload();
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') {
    const file = await failureScreenshot(page, `sequence ${ctx.task.name}`);
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
const canvas = () => page.getByRole('listbox', { name: 'Steps of itemCards' });
const node = (id: string) => page.locator(`[data-step-id="${id}"]`);
const palette = () => page.getByRole('complementary', { name: 'Step palette' });
const paletteItem = (title: string) => palette().getByRole('button', { name: title, exact: false }).filter({ hasText: title }).first();
const properties = () => page.getByRole('region', { name: 'Properties' });
const picker = () => page.getByRole('region', { name: 'Source picker' });
const sourceTree = () => picker().getByRole('tree');
const responsePanel = () => page.locator('#bottom-panel-response');

async function text(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').replace(/\u00a0/g, ' ');
}

/** The ids of the canvas' steps, in document order. */
function stepIds(): Promise<string[]> {
  return page.locator('[data-step-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-step-id') ?? ''));
}

/** Ids of a container's children, by the sequence file model (the tree rows under it). */
async function selectedStep(): Promise<string | null> {
  return page.locator('[data-step-id][aria-selected="true"]').first().getAttribute('data-step-id').catch(() => null);
}

/** The box of a node once the canvas has stopped moving (fitting the view is animated). */
async function settledBox(locator: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  let last = JSON.stringify(await locator.boundingBox());
  for (let i = 0; i < 40; i++) {
    await page.waitForTimeout(60);
    const now = JSON.stringify(await locator.boundingBox());
    if (now === last) return JSON.parse(now);
    last = now;
  }
  return JSON.parse(last);
}

/** Drags `source` onto `target` with Ctrl held (a Call step from a tree object). */
async function ctrlDrag(source: Locator, target: Locator, position?: { x: number; y: number }): Promise<void> {
  await page.keyboard.down('Control');
  try {
    await source.dragTo(target, { targetPosition: position });
  } finally {
    await page.keyboard.up('Control');
  }
}

/** Screenshots show the studio without a passing hint. */
async function shoot(name: string): Promise<void> {
  const dismiss = page.getByRole('button', { name: 'Dismiss' });
  if (await dismiss.count()) await dismiss.click();
  await docScreenshot(page, name);
}

/** Switches a dynamic property to Source and opens the picker on it. */
async function pickFor(property: string): Promise<void> {
  const row = properties().locator(`[data-property="${property}"]`);
  await row.getByRole('radio', { name: 'Source' }).click();
  await row.getByRole('button', { name: /^Pick a source/ }).click();
  await expect.poll(() => page.getByRole('tab', { name: 'Source picker' }).getAttribute('aria-selected')).toBe('true');
  await expect.poll(() => picker().getByLabel('Property to set').inputValue()).toContain(property.split('.').pop()!);
}

describe('sequences on the canvas', () => {
  test('executes listItems and updates its schema from the result', async () => {
    await item('listItems').click();
    await page.keyboard.press('F5');
    await expect.poll(() => text(responsePanel().getByRole('status', { name: 'Response status' }))).toContain('200');
    await item('listItems').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Update schema from current connector data' }).click();
    await expect.poll(() => page.getByText(/Schema of catalog.listItems updated/).count()).toBe(1);
    const schema = JSON.parse(await readFile(join(dir(), 'schemas/catalog.listItems.json'), 'utf8'));
    expect(schema.type).toBe('array');
  });

  test('creates a sequence with New › Sequence and names it inline', async () => {
    await item('Sequences').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'New' }).click();
    await page.getByRole('menuitem', { name: 'Sequence' }).click();
    const field = tree().getByRole('textbox', { name: /^New name for/ });
    await expect.poll(() => field.isVisible()).toBe(true);
    await field.fill('itemCards');
    await field.press('Enter');
    await expect.poll(() => item('itemCards').getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => canvas().isVisible()).toBe(true);
    await expect.poll(() => palette().getByRole('button').count()).toBeGreaterThan(20);
    await expect.poll(() => text(page.locator('.seq-empty-hint'))).toContain('Drag a step kind');
  });

  test('Ctrl+drag of a transaction from the tree adds a Call Transaction step', async () => {
    await ctrlDrag(item('listItems'), canvas(), { x: 300, y: 200 });
    await expect.poll(stepIds).toEqual(['listItems']);
    await expect.poll(selectedStep).toBe('listItems');
    await expect.poll(() => text(node('listItems'))).toContain('catalog.listItems');
    await expect.poll(() => item('listItems').count()).toBe(2); // the transaction and the step
  });

  test('drags a JSON Array from the palette below it, and an Iterate into the array', async () => {
    const box = await settledBox(node('listItems'));
    await paletteItem('JSON Array').dragTo(canvas(), { targetPosition: { x: box.x + box.width / 2 - (await canvas().boundingBox())!.x, y: box.y + box.height + 40 - (await canvas().boundingBox())!.y } });
    await expect.poll(stepIds).toEqual(['listItems', 'jsonArray']);
    await expect.poll(selectedStep).toBe('jsonArray');
    // keyboard: with the array selected, Enter on a palette kind inserts into it
    await paletteItem('Iterate').focus();
    await page.keyboard.press('Enter');
    await expect.poll(stepIds).toEqual(['listItems', 'jsonArray', 'iterate']);
    await expect.poll(selectedStep).toBe('iterate');
    await expect.poll(() => node('jsonArray').getAttribute('aria-label')).toContain('1 steps');
  });

  test('sets the Iterate over listItems with the source picker', async () => {
    await expect.poll(() => properties().locator('[data-property="over"]').count()).toBe(1);
    await pickFor('over');
    await sourceTree().getByRole('treeitem', { name: /^listItems, array/ }).click();
    await expect.poll(() => text(picker())).toContain('= listItems');
    await expect.poll(() => text(node('iterate'))).toContain('listItems');
    await expect.poll(() => properties().getByLabel('over source step').inputValue()).toBe('listItems');
  });

  test('Ctrl+drag of getItem into the Iterate maps nothing and picks item.id for its id', async () => {
    const target = await settledBox(node('iterate'));
    const c = (await canvas().boundingBox())!;
    await ctrlDrag(item('getItem'), canvas(), { x: target.x - c.x + target.width / 2, y: target.y - c.y + target.height - 20 });
    await expect.poll(stepIds).toEqual(['listItems', 'jsonArray', 'iterate', 'getItem']);
    await expect.poll(() => node('iterate').getAttribute('aria-label')).toContain('1 steps');
    await expect.poll(() => properties().locator('[data-property="variables.id"]').count()).toBe(1);
    await pickFor('variables.id');
    // the Iterate's current item, expanded along listItems' schema (the last `id`: listItems[*].id comes first)
    const ids = sourceTree().getByRole('treeitem', { name: /^id, integer/ });
    await expect.poll(() => ids.count()).toBe(2);
    const id = ids.last();
    await id.click();
    await expect.poll(() => text(picker())).toContain('= iterate.item.id');
    await expect.poll(() => text(node('getItem'))).toContain('(id)');
  });

  test('adds a JSON Value after getItem by keyboard and sets it to getItem', async () => {
    await node('getItem').click();
    await paletteItem('JSON Value').focus();
    await page.keyboard.press('Shift+Enter');
    await expect.poll(stepIds).toEqual(['listItems', 'jsonArray', 'iterate', 'getItem', 'jsonValue']);
    await expect.poll(selectedStep).toBe('jsonValue');
    await pickFor('value');
    await sourceTree().getByRole('treeitem', { name: /^getItem,/ }).click();
    await expect.poll(() => text(node('jsonValue'))).toContain('getItem');
    await node('iterate').click();
    await palette().locator('.seq-palette-list').evaluate((el) => (el.scrollTop = 0));
    await shoot('canvas');
  });

  test('F5 executes the sequence: the output in Response, the trace on the canvas', async () => {
    await canvas().focus();
    await page.keyboard.press('F5');
    const status = responsePanel().getByRole('status', { name: 'Response status' });
    await expect.poll(() => text(status), { timeout: 15000 }).toContain('Done');
    await expect.poll(() => text(responsePanel())).toContain('"Chair"');
    await expect.poll(() => node('getItem').getAttribute('class')).toContain('state-done');
    await expect.poll(() => text(node('getItem'))).toContain('×3');
    await node('getItem').click();
    const inspector = page.getByRole('region', { name: 'Last run of getItem' });
    await expect.poll(() => text(inspector)).toContain('"Desk"');
    await palette().locator('.seq-palette-list').evaluate((el) => (el.scrollTop = 0));
    await shoot('sequence-trace');
    // the picker after a run: samples beside the fields, the property's source marked
    await page.getByRole('tab', { name: 'Source picker' }).click();
    await expect.poll(() => picker().getByLabel('Property to set').inputValue()).toContain('id');
    const current = sourceTree().locator('[aria-selected="true"]');
    await expect.poll(() => current.getAttribute('aria-label')).toMatch(/^id, integer/);
    await expect.poll(() => sourceTree().getByRole('treeitem', { name: /^name, string, sample "Lamp"/ }).count()).toBe(1);
    await current.scrollIntoViewIfNeeded();
    await shoot('source-picker');
    await page.getByRole('tab', { name: 'Response' }).click();
  });

  test('saves the sequence as the DESIGN.md file format', async () => {
    await page.keyboard.press('Control+s');
    await expect.poll(async () => parse(await readFile(join(dir(), 'sequences/itemCards.yaml'), 'utf8')).name).toBe('itemCards');
    const yaml = parse(await readFile(join(dir(), 'sequences/itemCards.yaml'), 'utf8'));
    expect(yaml.steps[0]).toMatchObject({ id: 'listItems', kind: 'callTransaction', props: { transaction: 'catalog.listItems' } });
    expect(yaml.steps[1]).toMatchObject({ id: 'jsonArray', kind: 'jsonArray' });
    const iterate = yaml.steps[1].steps[0];
    expect(iterate).toMatchObject({ id: 'iterate', kind: 'iterate', props: { over: { source: { from: 'listItems', path: '$' } } } });
    expect(iterate.steps[0]).toMatchObject({ id: 'getItem', props: { transaction: 'catalog.getItem', variables: { id: { source: { from: 'iterate', path: '$.item.id' } } } } });
    expect(iterate.steps[1]).toMatchObject({ id: 'jsonValue', kind: 'jsonValue', props: { value: { source: { from: 'getItem', path: '$' } } } });
  });

  test('arrows move the selection, Alt+arrows move the step', async () => {
    await node('listItems').click();
    await expect.poll(selectedStep).toBe('listItems');
    await expect.poll(() => canvas().evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('ArrowDown');
    await expect.poll(selectedStep).toBe('jsonArray');
    await page.keyboard.press('ArrowDown');
    await expect.poll(selectedStep).toBe('iterate');
    await page.keyboard.press('ArrowRight');
    await expect.poll(selectedStep).toBe('getItem');
    await page.keyboard.press('ArrowDown');
    await expect.poll(selectedStep).toBe('jsonValue');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(selectedStep).toBe('iterate');
    await page.keyboard.press('End');
    await expect.poll(selectedStep).toBe('jsonValue');
    // the tree follows the canvas: one selection
    await expect.poll(() => item('jsonValue').getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Alt+ArrowUp');
    await expect.poll(stepIds).toEqual(['listItems', 'jsonArray', 'iterate', 'jsonValue', 'getItem']);
    await expect.poll(selectedStep).toBe('jsonValue');
    await page.keyboard.press('Alt+ArrowDown');
    await expect.poll(stepIds).toEqual(['listItems', 'jsonArray', 'iterate', 'getItem', 'jsonValue']);
  });

  test('Ctrl+C / Ctrl+V paste a copy, Delete removes it after confirming, Ctrl+Z brings it back', async () => {
    await node('getItem').click();
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await expect.poll(stepIds).toEqual(['listItems', 'jsonArray', 'iterate', 'getItem', 'getItem_2', 'jsonValue']);
    await expect.poll(selectedStep).toBe('getItem_2');
    // the copy keeps its source
    await expect.poll(() => text(node('getItem_2'))).toContain('(id)');
    await canvas().focus();
    await page.keyboard.press('Delete');
    const confirm = page.getByRole('dialog', { name: 'Delete' });
    await expect.poll(() => text(confirm)).toContain('getItem_2');
    await page.keyboard.press('Enter');
    await expect.poll(stepIds).toEqual(['listItems', 'jsonArray', 'iterate', 'getItem', 'jsonValue']);
    await canvas().focus();
    await page.keyboard.press('Control+z');
    await expect.poll(stepIds).toContain('getItem_2');
    await page.keyboard.press('Control+z');
    await expect.poll(stepIds).toEqual(['listItems', 'jsonArray', 'iterate', 'getItem', 'jsonValue']);
  });

  test('dragging a node moves the step out of its container; undo puts it back', async () => {
    const from = await settledBox(node('jsonValue'));
    const to = await settledBox(node('listItems'));
    await page.mouse.move(from.x + 60, from.y + 12);
    await page.mouse.down();
    // between listItems and jsonArray, at the top level
    await page.mouse.move(from.x + 40, from.y - 20, { steps: 4 });
    await page.mouse.move(to.x + 60, to.y + to.height + 12, { steps: 8 });
    await expect.poll(() => page.locator('.seq-drop-line').count()).toBe(1);
    await page.mouse.up();
    await expect.poll(stepIds).toEqual(['listItems', 'jsonValue', 'jsonArray', 'iterate', 'getItem']);
    await canvas().focus();
    await page.keyboard.press('Control+z');
    await expect.poll(stepIds).toEqual(['listItems', 'jsonArray', 'iterate', 'getItem', 'jsonValue']);
  });

  test('New › Step in the tree adds a kind after the step', async () => {
    await item('listItems').nth(1).click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'New' }).click();
    await page.getByRole('menuitem', { name: 'Step' }).click();
    await page.getByRole('menuitem', { name: 'Misc' }).click();
    await page.getByRole('menuitem', { name: 'Comment' }).click();
    await expect.poll(stepIds).toEqual(['listItems', 'comment', 'jsonArray', 'iterate', 'getItem', 'jsonValue']);
    await canvas().focus();
    await page.keyboard.press('Control+z');
    await expect.poll(stepIds).toEqual(['listItems', 'jsonArray', 'iterate', 'getItem', 'jsonValue']);
  });

  test('a failing step is highlighted with its error', async () => {
    failId = 2;
    try {
      await canvas().focus();
      await page.keyboard.press('F5');
      const status = responsePanel().getByRole('status', { name: 'Response status' });
      await expect.poll(() => text(status), { timeout: 15000 }).toContain('BACKEND_STATUS');
      await expect.poll(() => node('getItem').getAttribute('class')).toContain('failing');
      await expect.poll(() => text(node('getItem'))).toContain('answered 500');
      // the Iterate failed through its child: red, without the message
      await expect.poll(() => node('iterate').getAttribute('class')).toContain('state-error');
      expect(await node('iterate').getAttribute('class')).not.toContain('failing');
      await node('getItem').click();
      await expect.poll(() => text(page.getByRole('region', { name: 'Last run of getItem' }))).toContain('500');
      await shoot('sequence-error');
    } finally {
      failId = null;
    }
  });

  test('a JS step edits its code in Monaco with completion of the sources in scope', async () => {
    // getItem ran inside the sequence: its schema comes from that data
    await item('getItem').first().click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Update schema from current connector data' }).click();
    await expect.poll(() => page.getByText(/Schema of catalog.getItem updated/).count()).toBe(1);
    await page.getByRole('tab', { name: 'itemCards' }).click();
    await node('jsonValue').click();
    await paletteItem('JavaScript').focus();
    await page.keyboard.press('Shift+Enter');
    await expect.poll(stepIds).toEqual(['listItems', 'jsonArray', 'iterate', 'getItem', 'jsonValue', 'js']);
    const editor = properties().locator('.js-editor .monaco-editor');
    await expect.poll(() => editor.count(), { timeout: 15000 }).toBe(1);
    await editor.click();
    await page.keyboard.press('Control+a');
    await page.keyboard.type('return item.');
    const suggest = page.locator('.suggest-widget');
    await expect.poll(() => text(suggest), { timeout: 10000 }).toContain('name');
    await expect.poll(() => text(suggest)).toContain('id');
    await page.keyboard.press('Escape');
    await page.keyboard.type('name + " #" + steps.getItem.');
    await expect.poll(() => text(suggest), { timeout: 10000 }).toContain('price');
    await page.keyboard.press('Escape');
    await page.keyboard.type('price;');
    await expect.poll(() => text(node('js')), { timeout: 5000 }).toContain('return item.name');
    await canvas().focus();
    await page.keyboard.press('F5');
    const status = responsePanel().getByRole('status', { name: 'Response status' });
    await expect.poll(() => text(status), { timeout: 15000 }).toContain('Done');
    await node('js').click();
    await expect.poll(() => text(page.getByRole('region', { name: 'Last run of js' }))).toContain('Desk #30');
  });

  test('a declared variable is mapped by name into a call dropped with Ctrl, and F5 asks for it', async () => {
    await canvas().focus();
    await page.getByRole('button', { name: 'Variable', exact: true }).click();
    const name = page.getByRole('textbox', { name: 'New variable name' });
    await name.fill('id');
    await name.press('Enter');
    await expect.poll(() => page.getByRole('group', { name: 'Sequence variables' }).getByRole('button', { name: /^id/ }).getAttribute('aria-pressed')).toBe('true');
    // typed in Properties
    await properties().getByLabel('Type', { exact: true }).selectOption('integer');
    await expect.poll(() => text(page.getByRole('group', { name: 'Sequence variables' }))).toContain('integer');
    // a call dropped at the end of the sequence (beside the array, below its middle) maps getItem's id to the sequence's id
    const last = await settledBox(node('jsonArray'));
    const c = (await canvas().boundingBox())!;
    await ctrlDrag(item('getItem').first(), canvas(), { x: last.x - c.x + last.width + 30, y: last.y - c.y + last.height / 2 + 20 });
    await expect.poll(stepIds).toEqual(['listItems', 'jsonArray', 'iterate', 'getItem', 'jsonValue', 'js', 'getItem_2']);
    await expect.poll(() => properties().getByLabel('id source step').inputValue()).toBe('variables');
    expect(await properties().getByLabel('id source path').inputValue()).toBe('$.id');
    // F5: the variables form asks for id
    await canvas().focus();
    await responsePanel().getByLabel('id').fill('2');
    await page.keyboard.press('F5');
    const status = responsePanel().getByRole('status', { name: 'Response status' });
    await expect.poll(() => text(status), { timeout: 15000 }).toContain('Done');
    await node('getItem_2').click();
    await expect.poll(() => text(page.getByRole('region', { name: 'Last run of getItem_2' }))).toContain('"Chair"');
  });
});
