import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { docScreenshot, failureScreenshot, launchBrowser, startStudio } from './helpers.js';
import type { BrowserSession, StudioProcess } from './helpers.js';

/*
 * The Mappings editor in web mode: opened from the project's Mappings row with the keyboard, a route added
 * for an existing sequence and saved (listed, written to mappings.yaml), and a bad edit refused with its line.
 */

let root: string;
let studio: StudioProcess;
let browser: BrowserSession;
let page: Page;
const dir = () => join(root, 'shop');
const file = () => join(dir(), 'mappings.yaml');
const FIRST = 'routes:\n  - method: GET\n    path: /users/{id}\n    target: { sequence: userCard }\n    response: { emptyStatus: 404 }\n';

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'trellis-e2e-mappings-'));
  await mkdir(join(dir(), 'sequences'), { recursive: true });
  await writeFile(join(dir(), 'trellis.yaml'), 'name: shop\nformatVersion: 1\n');
  for (const name of ['userCard', 'listUsers'])
    await writeFile(join(dir(), 'sequences', `${name}.yaml`), `name: ${name}\nsteps:\n  - id: o\n    kind: output\n    props: { value: ${name} }\n`);
  await writeFile(file(), FIRST);
  studio = await startStudio({ dirs: [dir()] });
  browser = await launchBrowser();
  page = browser.page;
  await page.goto(studio.url);
}, 60_000);

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') {
    const shot = await failureScreenshot(page, `mappings ${ctx.task.name}`);
    console.error(`screenshot: ${shot}\npage errors:\n${browser?.errors.join('\n')}\nstudio stderr (end):\n${studio?.stderr().slice(-3000)}`);
  }
});

afterAll(async () => {
  await browser?.close();
  await studio?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

const tree = () => page.getByRole('tree', { name: 'Projects' });
const item = (name: string) => tree().getByRole('treeitem', { name, exact: true });
const editor = () => page.locator('.mappings-editor');
const routes = () => editor().getByRole('table', { name: 'Routes' });
const routeTexts = () => routes().locator('tbody tr').allTextContents();

describe('Mappings editor', () => {
  test('opens from the Mappings row with the keyboard and lists the routes under the base path', async () => {
    await item('shop').click({ timeout: 30000 });
    if ((await item('shop').getAttribute('aria-expanded')) !== 'true') await page.keyboard.press('ArrowRight');
    await page.keyboard.press('End');
    await expect.poll(() => tree().locator('[role="treeitem"][aria-selected="true"]').getAttribute('aria-label'), { timeout: 20000 }).toBe('Mappings');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('tab', { name: 'Mappings · shop' }).count(), { timeout: 20000 }).toBe(1);
    await expect.poll(routeTexts, { timeout: 20000 }).toEqual(['GET/shop/users/{id}userCard200 / 404']);
    await expect.poll(() => editor().locator('.monaco-editor').count(), { timeout: 30000 }).toBe(1);
  });

  test('adds a route to an existing sequence, saves it and lists it', async () => {
    await editor().getByRole('combobox', { name: 'Sequence of the new route' }).selectOption('listUsers');
    await editor().getByRole('button', { name: 'New route' }).click();
    await editor().getByRole('button', { name: 'Save' }).click();
    await expect.poll(routeTexts, { timeout: 20000 }).toEqual(['GET/shop/users/{id}userCard200 / 404', 'GET/shop/list-userslistUsers200']);
    expect(await readFile(file(), 'utf8')).toBe(`${FIRST}  - method: GET\n    path: /list-users\n    target: { sequence: listUsers }\n`);
    await expect.poll(() => editor().getByRole('list', { name: 'Mapping problems' }).count(), { timeout: 20000 }).toBe(0);
    await docScreenshot(page, 'mappings');
  });

  test('a bad edit is refused on Ctrl+S with its line, and the file stays as it was', async () => {
    const before = await readFile(file(), 'utf8');
    const badLine = before.split('\n').length; // the empty line after the last newline
    await editor().locator('.monaco-editor .view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.insertText('colour: red');
    await page.keyboard.press('Control+s');
    await expect.poll(() => editor().getByRole('alert').textContent(), { timeout: 20000 }).toMatch(new RegExp(`^not saved: mappings\\.yaml:${badLine}:1: .*colour`));
    await expect.poll(() => editor().getByRole('list', { name: 'Mapping problems' }).textContent(), { timeout: 20000 }).toContain(`line ${badLine}:`);
    await expect.poll(() => editor().locator('.monaco-editor .squiggly-error').count(), { timeout: 20000 }).toBeGreaterThan(0);
    expect(await readFile(file(), 'utf8')).toBe(before);
    await docScreenshot(page, 'mappings-error');
  });
});
