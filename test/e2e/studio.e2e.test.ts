import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { parse, stringify } from 'yaml';
import { docScreenshot, eventually, failureScreenshot, launchBrowser, startBackend, startStudio } from './helpers.js';
import type { Backend, BrowserSession, StudioProcess } from './helpers.js';

/*
 * The studio as a person uses it, in web mode in headless Chromium: create a REST project with the
 * wizard (through the folder picker), add a JSON transaction with a path variable, execute it with F5
 * against a real HTTP server, see a 500, a refused variable, edit a property, save, reload, and see the
 * tree follow an edit made on disk. The scenarios build on each other, in order.
 */

let backend: Backend;
let studio: StudioProcess;
let browser: BrowserSession;
let page: Page;
let workspace: string;
const projectDir = () => join(workspace, 'shop');

beforeAll(async () => {
  backend = await startBackend((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const item = /^\/api\/items\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && item) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ id: Number(item[1]), name: `Item ${item[1]}`, tags: ['blue', 'small'], price: 12.5 }));
    } else if (url.pathname === '/api/fail') {
      res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: 'database is down', retryable: true }));
    } else {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: `no route ${url.pathname}` }));
    }
  });
  studio = await startStudio();
  workspace = join(studio.home, 'workspace');
  await mkdir(workspace, { recursive: true });
  browser = await launchBrowser();
  page = browser.page;
  await page.goto(studio.url);
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') {
    const file = await failureScreenshot(page, ctx.task.name);
    console.error(`screenshot: ${file}\npage errors:\n${browser?.errors.join('\n')}\nstudio stderr (end):\n${studio?.stderr().slice(-3000)}`);
  }
});

afterAll(async () => {
  await browser?.close();
  await studio?.close();
  await backend?.close();
});

const tree = () => page.getByRole('tree', { name: 'Projects' });
const item = (name: string) => tree().getByRole('treeitem', { name, exact: true });
const responsePanel = () => page.locator('#bottom-panel-response');
const propertiesPanel = () => page.getByRole('region', { name: 'Properties' });

async function newTransaction(from: Locator, values: { name: string; path: string; integerVariable?: string }) {
  await from.click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'New' }).click();
  await page.getByRole('menuitem', { name: 'Transaction…' }).click();
  const dialog = page.getByRole('dialog', { name: 'New Transaction' });
  await expect.poll(() => dialog.isVisible()).toBe(true);
  await expect.poll(() => dialog.getByRole('radio', { name: 'JSON' }).isChecked()).toBe(true);
  await dialog.getByLabel('Name', { exact: true }).fill(values.name);
  await dialog.getByLabel('Path', { exact: true }).fill(values.path);
  if (values.integerVariable) {
    // the path parameter became a variable by itself
    await expect.poll(() => dialog.getByLabel('Variable 1 name').inputValue()).toBe(values.integerVariable);
    await dialog.getByLabel(`Variable ${values.integerVariable} type`).selectOption('integer');
  }
  await dialog.getByRole('button', { name: 'Finish' }).click();
  await expect.poll(() => dialog.count()).toBe(0);
  await expect.poll(() => item(values.name).getAttribute('aria-selected')).toBe('true');
}

async function panelText(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').replace(/\u00a0/g, ' ');
}

describe('the studio in web mode', () => {
  test('creates a REST project with the wizard, through the folder picker', async () => {
    await expect.poll(() => page.getByText('No project open').first().isVisible()).toBe(true);
    await page.keyboard.press('Control+n');
    const wizard = page.getByRole('dialog', { name: 'New Project' });
    await expect.poll(() => wizard.isVisible()).toBe(true);
    await wizard.getByLabel('Project name').fill('shop');

    await wizard.getByRole('button', { name: 'Browse…' }).click();
    const picker = page.getByRole('dialog', { name: 'Choose Project Location' });
    await expect.poll(() => picker.isVisible()).toBe(true);
    const path = picker.getByLabel('Folder path');
    await expect.poll(() => path.inputValue()).toBe(studio.home);
    // a typed path and Enter go there; Up goes back; a double-click enters a folder
    await path.fill(workspace);
    await path.press('Enter');
    await expect.poll(() => picker.getByText('No folders here.').isVisible()).toBe(true);
    await picker.getByRole('button', { name: 'Up to the parent folder' }).click();
    await expect.poll(() => path.inputValue()).toBe(studio.home);
    await picker.getByRole('listbox', { name: 'Folders' }).getByRole('option', { name: 'workspace' }).dblclick();
    await expect.poll(() => path.inputValue()).toBe(workspace);
    await picker.getByRole('button', { name: 'Select' }).click();
    await expect.poll(() => picker.count()).toBe(0);
    await expect.poll(() => wizard.getByLabel('Location').inputValue()).toBe(workspace);
    // the focus comes back to the wizard's primary button a frame after the picker closes (Enter before
    // that would press Browse… again)
    await expect.poll(() => wizard.getByRole('button', { name: 'Next' }).evaluate((el) => el === document.activeElement)).toBe(true);

    await page.keyboard.press('Enter'); // Next
    await expect.poll(() => wizard.getByLabel('Connector name').inputValue()).toBe('rest');
    const host = wizard.getByLabel('Server address');
    await host.fill(`http://127.0.0.1`);
    await expect.poll(() => wizard.getByRole('alert').first().textContent()).toContain('without protocol');
    await host.fill('127.0.0.1');
    await expect.poll(() => wizard.getByRole('alert').count()).toBe(0);
    await wizard.getByLabel('Port').fill(String(backend.port));
    await wizard.getByLabel('Base path').fill('/api');
    await docScreenshot(page, 'rest-wizard');

    await wizard.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => wizard.getByRole('definition').allTextContents()).toContain(`http://127.0.0.1:${backend.port}/api`);
    await page.keyboard.press('Enter'); // Finish
    await expect.poll(() => wizard.count()).toBe(0);

    await expect.poll(() => item('shop').getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => item('rest').isVisible()).toBe(true);
    const yaml = parse(await readFile(join(projectDir(), 'connectors/rest.yaml'), 'utf8'));
    expect(yaml).toMatchObject({ name: 'rest', kind: 'http', config: { host: '127.0.0.1', port: backend.port, basePath: '/api' } });
  });

  test('adds a JSON transaction whose path variable becomes a variable', async () => {
    await newTransaction(item('rest'), { name: 'getItem', path: '/items/{id}', integerVariable: 'id' });
    await expect.poll(() => item('getItem').getAttribute('aria-level')).toBe('4');
    // the overview tab shows method, path and the variable
    const editor = page.getByRole('region', { name: 'Editor' });
    await expect.poll(() => panelText(editor.getByLabel('Request'))).toContain('/items/{id}');
    await expect.poll(() => editor.getByRole('table', { name: 'Variables' }).textContent()).toContain('integer');
  });

  test('executes the selected transaction with F5 and shows the JSON response', async () => {
    await item('getItem').click();
    const id = responsePanel().getByLabel('id', { exact: true });
    await id.fill('42');
    await tree().focus();
    await page.keyboard.press('F5');
    await expect.poll(() => panelText(responsePanel()), { timeout: 15000 }).toContain('Item 42');
    await expect.poll(() => panelText(responsePanel())).toContain('200');
    expect(backend.requests.some((r) => r.url === '/api/items/42')).toBe(true);
    await docScreenshot(page, 'response');
  });

  test('shows the status and the body of a 500', async () => {
    await newTransaction(item('rest'), { name: 'failing', path: '/fail' });
    await page.keyboard.press('F5');
    await expect.poll(() => panelText(responsePanel()), { timeout: 15000 }).toContain('database is down');
    await expect.poll(() => panelText(responsePanel())).toContain('500');
  });

  test('refuses an invalid variable value with a message', async () => {
    await item('getItem').click();
    const id = responsePanel().getByLabel('id', { exact: true });
    await id.fill('abc');
    await page.keyboard.press('F5');
    await expect.poll(() => panelText(responsePanel()), { timeout: 15000 }).toMatch(/"abc" is not a whole number|expected an integer, got "abc"/);
    expect(backend.requests.some((r) => r.url.includes('abc'))).toBe(false);
  });

  test('edits a property, saves with Ctrl+S and keeps it after a reload', async () => {
    await item('getItem').click();
    const description = propertiesPanel().getByLabel('Description', { exact: true });
    await description.fill('Reads one item by id');
    await description.press('Tab');
    await expect.poll(() => tree().getByRole('treeitem', { name: 'shop, unsaved changes' }).count()).toBe(1);
    await page.keyboard.press('Control+s');
    await expect.poll(() => item('shop').count()).toBe(1);
    const yaml = parse(await readFile(join(projectDir(), 'connectors/rest.yaml'), 'utf8'));
    expect(yaml.transactions[0]).toMatchObject({ name: 'getItem', description: 'Reads one item by id' });

    await page.reload();
    await item('getItem').click();
    await expect.poll(() => propertiesPanel().getByLabel('Description', { exact: true }).inputValue()).toBe('Reads one item by id');
  });

  test('follows an edit of the connector YAML made on disk', async () => {
    const file = join(projectDir(), 'connectors/rest.yaml');
    const yaml = parse(await readFile(file, 'utf8'));
    yaml.transactions.push({ name: 'listItems', type: 'json', method: 'GET', path: '/items', variables: [] });
    await writeFile(file, stringify(yaml));
    await expect.poll(() => item('listItems').count(), { timeout: 15000 }).toBe(1);
    await eventually(async () => expect(await item('failing').count()).toBe(1));

    // the main screen: a project open, a transaction selected, its last response
    await item('getItem').click();
    await responsePanel().getByLabel('id', { exact: true }).fill('7');
    await page.keyboard.press('F5');
    await expect.poll(() => panelText(responsePanel()), { timeout: 15000 }).toContain('Item 7');
    await docScreenshot(page, 'main');
  });

  test('threw no uncaught exception in the page', () => {
    expect(browser.errors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  });
});
