import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { pouchDB } from '../../src/connectors/couch/pouch.js';
import { docScreenshot, failureScreenshot, launchBrowser, startStudio } from './helpers.js';
import type { BrowserSession, StudioProcess } from './helpers.js';

/*
 * The FullSync view in web mode, in headless Chromium, over an embedded store seeded here before the studio
 * starts: open it from the tree, browse and search documents, create a document (invalid JSON blocks Save),
 * edit and save it with its _rev, delete it after a confirmation, and run a view with and without reduce.
 * The scenarios build on each other, in order.
 */

let root: string;
let studio: StudioProcess;
let browser: BrowserSession;
let page: Page;
const dir = () => join(root, 'notes');

async function writeProject(): Promise<void> {
  await mkdir(join(dir(), 'connectors'), { recursive: true });
  await mkdir(join(dir(), 'fullsync/notes/notes'), { recursive: true });
  await writeFile(join(dir(), 'trellis.yaml'), 'name: notes\nformatVersion: 1\n');
  await writeFile(
    join(dir(), 'connectors/docs.yaml'),
    ['name: docs', 'kind: couch', 'config:', '  database: notes', '  fullsync: true', '  listeners:', '    - { name: audit, on: update, sequence: audit }', 'transactions:', '  - { name: get, operation: get }', ''].join('\n'),
  );
  await mkdir(join(dir(), 'sequences'), { recursive: true });
  await writeFile(
    join(dir(), 'sequences/audit.yaml'),
    ['name: audit', 'exposed: false', 'variables:', '  - { name: docs, type: json, required: true }', 'steps:', "  - { id: n, kind: js, props: { code: 'return docs.length;' } }", ''].join('\n'),
  );
  await writeFile(join(dir(), 'fullsync/notes/notes/byTag.js'), "function map(doc) {\n  for (const t of doc.tags || []) emit(t, 1);\n}\nconst reduce = '_count';\n");
  // the studio opens the store itself: seed it and close it first (LevelDB allows one process)
  const PouchDB = pouchDB();
  const db = new PouchDB(join(dir(), 'data/fullsync/notes'), { adapter: 'leveldb' });
  await db.bulkDocs(Array.from({ length: 30 }, (_, i) => ({ _id: `note-${i}`, type: 'note', title: `Note ${i}`, tags: i % 3 === 0 ? ['red', 'blue'] : ['blue'] })));
  await db.close();
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'trellis-e2e-fullsync-'));
  await mkdir(join(root, 'notes/data/fullsync'), { recursive: true });
  await writeProject();
  studio = await startStudio({ dirs: [dir()] });
  browser = await launchBrowser();
  page = browser.page;
  await page.goto(studio.url);
}, 90_000);

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') {
    const file = await failureScreenshot(page, `fullsync ${ctx.task.name}`);
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
const view = () => page.getByLabel('FullSync view of docs');
const docList = () => view().getByRole('listbox', { name: 'Documents' });
const docEditor = () => view().getByRole('region', { name: 'Document editor' });
const monaco = () => docEditor().locator('.monaco-editor');

async function text(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').replace(/\u00a0/g, ' ');
}

/** Replaces the document editor's text (insertText: no auto-closed brackets, as a paste would). */
async function replaceJson(json: string): Promise<void> {
  await monaco().click();
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(json);
}

describe('FullSync view', () => {
  test('Enter on a couch connector in the tree opens its FullSync view with the documents', async () => {
    await expect.poll(() => item('docs').count(), { timeout: 20000 }).toBe(1);
    // by keyboard: from the project, down to the connector, Enter
    await item('notes').click();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => view().isVisible(), { timeout: 15000 }).toBe(true);
    // room for the view: the bottom panel and the Properties view made small, by keyboard
    await page.getByRole('separator', { name: 'Resize the bottom panel' }).focus();
    for (let i = 0; i < 20; i++) await page.keyboard.press('ArrowDown');
    await page.getByRole('separator', { name: 'Resize the Properties view' }).focus();
    for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');
    await expect.poll(() => text(view().getByRole('navigation', { name: 'FullSync databases' }))).toContain('notes30 docs');
    await expect.poll(() => text(view())).toContain('30 shown · 30 in the database');
    // virtualized: the 30 rows are not all in the DOM at once
    const rendered = await docList().getByRole('option').count();
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(30);
    // the tree's context menu offers the same view
    await item('docs').click({ button: 'right' });
    await expect.poll(() => page.getByRole('menuitem', { name: /Open FullSync view/ }).count()).toBe(1);
    await page.keyboard.press('Escape');
  });

  test('search by id prefix and open a document with the keyboard', async () => {
    await view().getByLabel('Search documents by id prefix').fill('note-1');
    await expect.poll(() => text(view())).toContain('11 shown starting with "note-1"');
    await docList().focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => text(docEditor().locator('.fs-editor-title'))).toBe('note-10');
    await expect.poll(() => text(monaco().locator('.view-lines')), { timeout: 20000 }).toContain('"title": "Note 10"');
  });

  test('a new document: invalid JSON blocks Save with its position, valid JSON saves', async () => {
    await view().getByRole('button', { name: 'New document' }).click();
    await expect.poll(() => text(docEditor().locator('.fs-editor-title'))).toBe('New document');
    await replaceJson('{"_id": "e2e-1", "type": "note", "tags": ["green"]');
    const error = docEditor().getByRole('alert', { name: 'JSON error' });
    await expect.poll(() => text(error)).toMatch(/^Invalid JSON, Save is disabled: line 1, column 51: Expected ',' or '}' after property value/);
    const save = docEditor().getByRole('button', { name: 'Save' });
    expect(await save.isDisabled()).toBe(true);
    await page.keyboard.insertText('}');
    await expect.poll(() => error.count()).toBe(0);
    expect(await save.isDisabled()).toBe(false);
    await save.click();
    await expect.poll(() => text(docEditor().locator('.fs-editor-title'))).toBe('e2e-1');
    await expect.poll(() => text(docEditor())).toMatch(/rev 1-/);
  });

  test('editing a document saves it with its current _rev (Ctrl+S)', async () => {
    await view().getByLabel('Search documents by id prefix').fill('e2e');
    await expect.poll(() => text(docList())).toContain('e2e-1');
    await monaco().click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('End');
    await page.keyboard.insertText(' "title": "Edited in the studio",');
    await page.keyboard.press('Shift+End');
    await page.keyboard.press('Delete');
    await page.keyboard.press('Control+s');
    await expect.poll(() => text(docEditor()), { timeout: 10000 }).toMatch(/rev 2-/);
    await expect.poll(() => text(docList())).toContain('"title":"Edited in the studio"');
    await docScreenshot(page, 'fullsync');
  });

  test('delete asks for a confirmation, then the document is gone', async () => {
    await docEditor().getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete document' });
    await expect.poll(() => text(dialog)).toContain('Delete document "e2e-1"');
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => text(view())).toContain('0 shown starting with "e2e"');
    await expect.poll(() => docEditor().locator('.monaco-editor').count()).toBe(0);
  });

  test('a view runs with its reduce, grouped, and without it', async () => {
    await view().getByRole('tab', { name: /Views/ }).click();
    await view().getByRole('button', { name: 'notes/byTag' }).click();
    await expect.poll(() => text(view().locator('.js-editor .view-lines')), { timeout: 20000 }).toContain("const reduce = '_count';");
    const run = view().getByRole('button', { name: 'Run' });
    const rows = view().getByRole('table', { name: 'View rows' });
    await run.click();
    await expect.poll(() => text(view())).toContain('1 row (reduced)');
    expect(await rows.locator('tbody tr').allTextContents()).toEqual(['null40']);
    await view().getByLabel('Group').check();
    await run.click();
    await expect.poll(async () => rows.locator('tbody tr').allTextContents()).toEqual(['"blue"30', '"red"10']);
    await docScreenshot(page, 'fullsync-views');
    await view().getByLabel('Reduce').uncheck();
    await view().getByLabel('Key (JSON)', { exact: true }).fill('"red"');
    await run.click();
    await expect.poll(() => text(view())).toContain('10 rows of 40');
    expect((await rows.locator('tbody tr').first().allTextContents())[0]).toBe('note-0"red"1');
  });

  test('the Listeners tab runs the listeners in the studio and shows their calls', async () => {
    await view().getByRole('tab', { name: /Listeners/ }).click();
    await expect.poll(() => text(view().getByRole('list', { name: 'Listeners of docs' }))).toContain('audit on update → sequence audit');
    await view().getByRole('button', { name: 'Start listeners' }).click();
    const activity = view().getByRole('table', { name: 'Listener activity' });
    // the 30 seeded notes, and e2e-1 (written, then deleted: an update listener skips the deletion)
    await expect.poll(() => text(activity), { timeout: 20000 }).toMatch(/docs\.audit30ok/);
    await docScreenshot(page, 'fullsync-listeners');
    await view().getByRole('button', { name: 'Stop listeners' }).click();
    await expect.poll(() => text(view())).toContain('stopped');
    // the menu entry opens the same view
    await page.getByRole('button', { name: 'Project' }).click();
    await expect.poll(() => page.getByRole('menuitem', { name: /FullSync view/ }).count()).toBe(1);
    await page.keyboard.press('Escape');
  });
});
