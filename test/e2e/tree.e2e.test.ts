import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { failureScreenshot, launchBrowser, startStudio } from './helpers.js';
import type { BrowserSession, StudioProcess } from './helpers.js';

/*
 * The Projects view and the shell by keyboard and mouse: arrows, Enter, F2, Delete with its
 * confirmation, the context menu (Shift+F10), undo/redo, the filter, quick open, drag to reorder, the
 * New Variable wizard, Problems, closing and opening a project through the folder picker, the theme.
 */

let root: string;
let studio: StudioProcess;
let browser: BrowserSession;
let page: Page;
const dir = () => join(root, 'demo');

async function writeDemo(): Promise<void> {
  await mkdir(join(dir(), 'connectors'), { recursive: true });
  await mkdir(join(dir(), 'sequences'), { recursive: true });
  await writeFile(join(dir(), 'trellis.yaml'), 'name: demo\nformatVersion: 1\n');
  await writeFile(
    join(dir(), 'connectors/api.yaml'),
    [
      'name: api',
      'kind: http',
      'config:',
      '  host: 127.0.0.1:9',
      'transactions:',
      '  - name: alpha',
      '    method: GET',
      '    path: /alpha/{id}',
      '    variables:',
      '      - { name: id, type: integer, required: true }',
      '  - name: beta',
      '    method: GET',
      '    path: /beta',
      '  - name: gamma',
      '    method: POST',
      '    path: /gamma',
      '',
    ].join('\n'),
  );
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'trellis-e2e-tree-'));
  await writeDemo();
  studio = await startStudio({ dirs: [dir()] });
  browser = await launchBrowser();
  page = browser.page;
  await page.goto(studio.url);
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') {
    const file = await failureScreenshot(page, `tree ${ctx.task.name}`);
    console.error(`screenshot: ${file}\npage errors:\n${browser?.errors.join('\n')}\nstudio stderr (end):\n${studio?.stderr().slice(-3000)}`);
  }
});

afterAll(async () => {
  await browser?.close();
  await studio?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

const tree = () => page.getByRole('tree', { name: 'Projects' });
const item = (name: string) => tree().getByRole('treeitem', { name, exact: true });
const selectedName = () => tree().locator('[role="treeitem"][aria-selected="true"]').getAttribute('aria-label');
const transactionNames = () => tree().locator('[role="treeitem"][aria-level="4"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label')));

describe('the Projects view', () => {
  test('moves with the arrows, Home and End, and opens with Enter', async () => {
    await item('demo').click();
    await expect.poll(selectedName).toBe('demo');
    await page.keyboard.press('End');
    await expect.poll(selectedName).toBe('Mappings');
    await page.keyboard.press('Home');
    await expect.poll(selectedName).toBe('demo');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect.poll(selectedName).toBe('api');
    await expect.poll(() => item('api').getAttribute('aria-expanded')).toBe('true');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => item('api').getAttribute('aria-expanded')).toBe('false');
    await expect.poll(() => item('alpha').count()).toBe(0);
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => item('api').getAttribute('aria-expanded')).toBe('true');
    await page.keyboard.press('ArrowRight');
    await expect.poll(selectedName).toBe('alpha');
    expect(await item('alpha').getAttribute('aria-posinset')).toBe('1');
    expect(await item('alpha').getAttribute('aria-setsize')).toBe('3');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(selectedName).toBe('api');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    // Enter pins the tab (a preview tab shows in italics and says so)
    await expect.poll(() => page.getByRole('tab', { name: 'alpha', exact: true }).getAttribute('aria-selected')).toBe('true');
  });

  test('renames with F2 and marks the project dirty', async () => {
    await item('gamma').click();
    await page.keyboard.press('F2');
    const field = tree().getByRole('textbox', { name: 'New name for gamma' });
    await expect.poll(() => field.isVisible()).toBe(true);
    await field.fill('third');
    await field.press('Enter');
    await expect.poll(selectedName).toBe('third');
    await expect.poll(() => tree().getByRole('treeitem', { name: 'demo, unsaved changes' }).count()).toBe(1);
  });

  test('duplicates from the context menu (Shift+F10) and deletes after confirming', async () => {
    await item('third').click();
    await page.keyboard.press('Shift+F10');
    const menu = page.getByRole('menu', { name: 'third actions' });
    await expect.poll(() => menu.isVisible()).toBe(true);
    await menu.getByRole('menuitem', { name: 'Duplicate' }).click();
    await expect.poll(transactionNames).toHaveLength(4);
    const copy = (await selectedName())!;
    expect(copy).not.toBe('third');

    await page.keyboard.press('Delete');
    const confirm = page.getByRole('dialog', { name: 'Delete' });
    await expect.poll(() => confirm.textContent()).toContain(copy);
    await page.keyboard.press('Enter');
    await expect.poll(() => confirm.count()).toBe(0);
    await expect.poll(transactionNames).toEqual(['alpha', 'beta', 'third']);
  });

  test('undoes and redoes with Ctrl+Z and Ctrl+Shift+Z', async () => {
    await tree().focus();
    await page.keyboard.press('Control+z'); // the delete
    await expect.poll(transactionNames).toHaveLength(4);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(transactionNames).toHaveLength(3);
  });

  test('reorders transactions by drag and drop', async () => {
    await item('third').dragTo(item('alpha'), { targetPosition: { x: 40, y: 4 } });
    await expect.poll(transactionNames).toEqual(['third', 'alpha', 'beta']);
  });

  test('adds a variable with the New Variable wizard from the context menu', async () => {
    await item('beta').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'New' }).click();
    await page.getByRole('menuitem', { name: 'Variable…' }).click();
    const dialog = page.getByRole('dialog', { name: 'New Variable' });
    await dialog.getByLabel('Name').fill('limit');
    await dialog.getByLabel('Type').selectOption('integer');
    await dialog.getByLabel('Default').fill('ten');
    await expect.poll(() => dialog.getByRole('alert').textContent()).toContain('not an integer');
    await dialog.getByLabel('Default').fill('10');
    await dialog.getByLabel('Required').check();
    await page.keyboard.press('Enter');
    await expect.poll(() => dialog.count()).toBe(0);
    await expect.poll(selectedName).toBe('limit');
    expect(await item('limit').getAttribute('aria-level')).toBe('5');
  });

  test('saves with Ctrl+S', async () => {
    await page.keyboard.press('Control+s');
    await expect.poll(() => item('demo').count()).toBe(1);
    const yaml = parse(await readFile(join(dir(), 'connectors/api.yaml'), 'utf8'));
    expect(yaml.transactions.map((t: { name: string }) => t.name)).toEqual(['third', 'alpha', 'beta']);
    expect(yaml.transactions[2].variables).toEqual([expect.objectContaining({ name: 'limit', type: 'integer', default: 10, required: true })]);
  });

  test('filters by name and keeps the ancestors', async () => {
    const filter = page.getByRole('searchbox', { name: 'Filter projects' });
    await filter.fill('alp');
    await expect.poll(() => tree().getByRole('treeitem').evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label')))).toEqual(['demo', 'Connectors', 'api', 'alpha']);
    await filter.fill('');
    await expect.poll(() => item('beta').count()).toBe(1);
  });

  test('finds any object with quick open (Ctrl+P)', async () => {
    await tree().focus();
    await page.keyboard.press('Control+p');
    const dialog = page.getByRole('dialog', { name: 'Quick Open' });
    await page.keyboard.type('limi');
    await expect.poll(() => dialog.getByRole('option').first().textContent()).toContain('limit');
    await page.keyboard.press('Enter');
    await expect.poll(() => dialog.count()).toBe(0);
    await expect.poll(selectedName).toBe('limit');
  });

  test('lists a broken file in Problems, with file:line:col', async () => {
    await writeFile(join(dir(), 'connectors/broken.yaml'), 'name: broken\nkind: http\ntransactions: [ {\n');
    await page.getByRole('tab', { name: /Problems/ }).click();
    const problems = page.getByRole('list', { name: 'Problems' });
    await expect.poll(() => problems.textContent(), { timeout: 15000 }).toMatch(/connectors\/broken\.yaml:\d+:\d+/);
    await problems.getByRole('button').first().click();
    await expect.poll(selectedName).toBe('demo');
    await rm(join(dir(), 'connectors/broken.yaml'));
    await expect.poll(() => problems.count(), { timeout: 15000 }).toBe(0);
  });

  test('closes the project and opens it again through the folder picker', async () => {
    await item('demo').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Close Project' }).click();
    await expect.poll(() => page.getByText('No project open').first().isVisible()).toBe(true);
    await page.keyboard.press('Control+o');
    const picker = page.getByRole('dialog', { name: 'Open Project' });
    await picker.getByLabel('Folder path').fill(root);
    await picker.getByLabel('Folder path').press('Enter');
    const entry = picker.getByRole('option', { name: 'demo (project)' });
    await entry.click();
    await picker.getByRole('button', { name: 'Open' }).click();
    await expect.poll(() => picker.count()).toBe(0);
    await expect.poll(selectedName).toBe('demo');
  });

  test('switches between the light and the dark theme', async () => {
    const before = await page.evaluate(() => document.documentElement.dataset.theme);
    await page.getByRole('button', { name: /Switch to the (dark|light) theme/ }).click();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).not.toBe(before);
  });

  test('threw no uncaught exception in the page', () => {
    expect(browser.errors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  });
});
