import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { TestServer } from '../helpers/http-server.js';
import { startBackend, writeProject } from '../testing/fixture.js';
import { docScreenshot, failureScreenshot, launchBrowser, startStudio } from './helpers.js';
import type { BrowserSession, StudioProcess } from './helpers.js';

/*
 * Test cases in the studio: execute a transaction against a real HTTP server, "Create test case" from
 * the execution, run it in the Tests panel and see it pass, break the file on disk, run again and see
 * the diff of expected vs actual; then a stub from the response and stub mode, and the History view.
 */

let server: TestServer;
let studio: StudioProcess;
let browser: BrowserSession;
let page: Page;
let dir = '';

beforeAll(async () => {
  server = await startBackend();
  dir = await writeProject(server);
  studio = await startStudio({ dirs: [dir] });
  browser = await launchBrowser();
  page = browser.page;
  await page.goto(studio.url);
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') {
    const file = await failureScreenshot(page, `tests panel ${ctx.task.name}`);
    console.error(`screenshot: ${file}\npage errors:\n${browser?.errors.join('\n')}\nstudio stderr (end):\n${studio?.stderr().slice(-3000)}`);
  }
});

afterAll(async () => {
  await browser?.close();
  await studio?.close();
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const tree = () => page.getByRole('tree', { name: 'Projects' });
const item = (name: string) => tree().getByRole('treeitem', { name, exact: true });
const responsePanel = () => page.locator('#bottom-panel-response');
const testsPanel = () => page.locator('#bottom-panel-tests');
const historyPanel = () => page.locator('#bottom-panel-history');

async function text(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').replace(/\u00a0/g, ' ');
}

describe('Tests panel', () => {
  test('creates a test case from an execution: variables filled, status and assertions proposed', async () => {
    await item('getItem').click();
    await responsePanel().getByLabel('id').fill('7');
    await page.keyboard.press('F5');
    await expect.poll(() => text(responsePanel().getByRole('status', { name: 'Response status' })), { timeout: 20000 }).toContain('200');
    await responsePanel().getByRole('button', { name: 'Create test case…' }).click();
    const form = responsePanel().getByRole('form', { name: 'Create test case' });
    await expect.poll(() => form.getByLabel('Test file').inputValue()).toBe('getItem');
    await form.getByLabel('Test file').fill('items');
    await form.getByLabel('Case name').fill('item seven');
    await form.getByRole('button', { name: 'Save case' }).click();
    await expect.poll(() => text(responsePanel().getByRole('group', { name: 'Test tools' }))).toContain('Added “item seven” in tests/items.yaml');
    const yaml = await readFile(join(dir, 'tests/items.yaml'), 'utf8');
    expect(yaml).toContain('target: api.getItem');
    expect(yaml).toContain('variables: { id: "7" }');
    expect(yaml).toContain('status: 200');
    expect(yaml).toContain('{ path: $.name, equals: item 7 }');
  });

  test('runs it in the Tests panel and sees it pass', async () => {
    await responsePanel().getByRole('button', { name: 'Open Tests' }).click();
    await expect.poll(() => text(testsPanel())).toContain('tests/items.yaml');
    await expect.poll(() => text(testsPanel())).toContain('item seven');
    await testsPanel().getByRole('button', { name: '▶ Run all' }).click();
    await expect.poll(() => text(testsPanel().getByRole('status')), { timeout: 20000 }).toBe('1 passed, 0 failed');
    await expect.poll(() => testsPanel().locator('.tp-case.tp-pass').count()).toBe(1);
  });

  test('a broken expectation fails with a diff of expected vs actual', async () => {
    const file = join(dir, 'tests/items.yaml');
    const eight = '  - name: item eight\n    variables: { id: "8" }\n    expect:\n      status: 200\n      assertions:\n        - { path: $.name, equals: item 8 }\n';
    await writeFile(file, (await readFile(file, 'utf8')).replace('equals: item 7', 'equals: item 8') + eight);
    await testsPanel().getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => text(testsPanel())).toContain('item eight');
    await testsPanel().getByRole('button', { name: 'Run item seven' }).click();
    await expect.poll(() => text(testsPanel().getByRole('status')), { timeout: 20000 }).toBe('0 passed, 1 failed');
    await testsPanel().getByRole('button', { name: '▶ Run all' }).click();
    await expect.poll(() => text(testsPanel().getByRole('status')), { timeout: 20000 }).toBe('1 passed, 1 failed');
    await expect.poll(() => testsPanel().locator('.tp-case.tp-pass').count()).toBe(1);
    const diff = testsPanel().getByRole('group', { name: 'Checks of item seven' });
    await expect.poll(() => diff.isVisible()).toBe(true);
    const bad = diff.locator('tr.tp-bad').first();
    await expect.poll(() => text(bad)).toContain('$.name equals');
    await expect.poll(() => text(bad.locator('.tp-expected'))).toBe('"item 8"');
    await expect.poll(() => text(bad.locator('.tp-actual'))).toBe('"item 7"');
    await expect.poll(() => text(diff)).toContain('$.name is "item 7", expected "item 8"');
    await docScreenshot(page, 'tests-panel');
  });

  test('creates a stub from the response; stub mode answers without the backend', async () => {
    await page.locator('#bottom-tab-response').click();
    await responsePanel().getByRole('button', { name: 'Create stub' }).click();
    await expect.poll(() => text(responsePanel().getByRole('group', { name: 'Test tools' }))).toContain('Wrote stubs/api.getItem.json');
    await responsePanel().getByRole('group', { name: 'Test tools' }).getByLabel('Stub mode').check();
    const before = server.requests.length;
    await responsePanel().getByLabel('id').fill('9');
    await page.keyboard.press('F5');
    await expect.poll(() => text(responsePanel().getByRole('status', { name: 'Response status' })), { timeout: 20000 }).toContain('200');
    await expect.poll(() => text(responsePanel())).toContain('item 7');
    expect(server.requests.length).toBe(before);
    await responsePanel().getByRole('group', { name: 'Test tools' }).getByLabel('Stub mode').uncheck();
  });

  test('the History view lists the executions and re-runs one', async () => {
    await page.locator('#bottom-tab-history').click();
    const list = historyPanel().getByRole('listbox', { name: 'Executions' });
    await expect.poll(() => list.getByRole('option').count()).toBeGreaterThanOrEqual(2);
    await expect.poll(() => text(list.getByRole('option').first())).toContain('api.getItem (stubs)');
    await list.getByRole('option').nth(1).click();
    await expect.poll(() => text(historyPanel().getByLabel('Execution details'))).toContain('"id": "7"');
    const before = server.requests.length;
    await historyPanel().getByRole('button', { name: '↻ Re-run' }).click();
    await expect.poll(() => server.requests.length, { timeout: 20000 }).toBe(before + 1);
    expect(server.requests.at(-1)?.path).toBe('/items/7');
  });
});
