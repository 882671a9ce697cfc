import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { docScreenshot, failureScreenshot, launchBrowser, startStudio } from './helpers.js';
import type { BrowserSession, StudioProcess } from './helpers.js';

/*
 * The SQL editor in web mode, in headless Chromium, against a SQLite database built here from a small
 * script: open a SQL transaction, type a statement accepting a completion, F5, rows in the grid with their
 * column types and the timing; a 5,000-row result scrolls with a bounded number of rows in the DOM; a SQL
 * error is underlined where the database said; "Generate database services…" on the connector. The
 * scenarios build on each other, in order.
 */

const SCRIPT = `
CREATE TABLE Artist (ArtistId INTEGER PRIMARY KEY, Name NVARCHAR(120));
CREATE TABLE Album (
  AlbumId INTEGER PRIMARY KEY,
  Title NVARCHAR(160) NOT NULL,
  ArtistId INTEGER NOT NULL REFERENCES Artist (ArtistId),
  Price NUMERIC(10,2)
);
INSERT INTO Artist VALUES (1, 'AC/DC'), (2, 'Accept'), (3, NULL);
INSERT INTO Album VALUES
  (1, 'For Those About To Rock We Salute You', 1, 9.99),
  (2, 'Balls to the Wall', 2, NULL),
  (3, 'Restless and Wild', 2, 8.99),
  (4, 'Let There Be Rock', 1, 7.5);
`;

let root: string;
let studio: StudioProcess;
let browser: BrowserSession;
let page: Page;
const dir = () => join(root, 'music');

async function writeProject(): Promise<void> {
  await mkdir(join(dir(), 'connectors'), { recursive: true });
  await mkdir(join(dir(), 'data'), { recursive: true });
  const db = new Database(join(dir(), 'data/music.db'));
  db.exec(SCRIPT);
  db.close();
  await writeFile(join(dir(), 'trellis.yaml'), 'name: music\nformatVersion: 1\n');
  await writeFile(
    join(dir(), 'connectors/db.yaml'),
    [
      'name: db',
      'kind: sql',
      'config:',
      '  driver: sqlite',
      '  file: data/music.db',
      'transactions:',
      '  - name: albums',
      '    type: sql',
      '    sql: SELECT 1',
      '  - name: numbers',
      '    type: sql',
      '    sql: |-',
      '      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)',
      "      SELECT i AS id, 'row ' || i AS label, i * 0.5 AS half FROM n",
      '  - name: long',
      '    type: sql',
      "    sql: SELECT 'start ' || replace(hex(zeroblob(150)), '00', 'ab') || ' end' AS big, NULL AS missing",
      '',
    ].join('\n'),
  );
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'trellis-e2e-sql-'));
  await writeProject();
  studio = await startStudio({ dirs: [dir()] });
  browser = await launchBrowser();
  page = browser.page;
  await page.goto(studio.url);
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') {
    const file = await failureScreenshot(page, `sql ${ctx.task.name}`);
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
const editorArea = () => page.getByRole('region', { name: 'Editor' });
const sqlEditor = () => editorArea().locator('.sqle-code .monaco-editor');
const responsePanel = () => page.locator('#bottom-panel-response');
const grid = () => responsePanel().getByRole('grid', { name: 'Result rows' });
const summary = () => responsePanel().getByRole('status', { name: 'Result summary' });
const suggest = () => page.locator('.suggest-widget');

async function text(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').replace(/\u00a0/g, ' ');
}

async function connectorYaml(): Promise<{ transactions: Array<{ name: string; sql: string; variables?: Array<{ name: string; type: string }> }> }> {
  return parse(await readFile(join(dir(), 'connectors/db.yaml'), 'utf8'));
}

/** Replaces the statement in the SQL editor by typing (completion pops up as it would for a user). */
async function typeStatement(statement: string): Promise<void> {
  await sqlEditor().click();
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Delete');
  await page.keyboard.type(statement);
}

describe('SQL editor', () => {
  test('a SQL transaction opens in the SQL editor, with the tables read for completion', async () => {
    await item('albums').click();
    await expect.poll(() => sqlEditor().count(), { timeout: 20000 }).toBe(1);
    await expect.poll(() => text(editorArea())).toContain('2 tables and views for completion');
    await expect.poll(() => text(editorArea().locator('.sqle-code'))).toContain('SELECT 1');
  });

  test('typing a statement completes table and column names, and {name} declares a variable', async () => {
    await typeStatement('SELECT * FROM Alb');
    await expect.poll(() => text(suggest()), { timeout: 10000 }).toContain('Album');
    await page.keyboard.press('Enter');
    await expect.poll(() => text(editorArea().locator('.sqle-code .view-lines'))).toBe('SELECT * FROM Album');
    await page.keyboard.type(' a WHERE a.ArtistId = {artist} ORDER BY a.AlbumId');
    await page.keyboard.press('Escape');
    // replace * by columns of the alias, accepting a completion with Tab
    await page.keyboard.press('Home');
    for (let i = 0; i < 'SELECT '.length; i++) await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Delete');
    await page.keyboard.type('a.Tit');
    await expect.poll(() => text(suggest()), { timeout: 10000 }).toContain('Title');
    await page.keyboard.press('Tab');
    await page.keyboard.type(', a.Price, a.AlbumId');
    await page.keyboard.press('Escape');
    const expected = 'SELECT a.Title, a.Price, a.AlbumId FROM Album a WHERE a.ArtistId = {artist} ORDER BY a.AlbumId';
    await expect.poll(() => text(editorArea().locator('.sqle-code .view-lines'))).toBe(expected);
    // the edit reached the engine: the variable is declared, and Ctrl+S writes both
    await expect.poll(() => text(editorArea().getByLabel('Variables'))).toContain('artist: string');
    await page.keyboard.press('Control+s');
    await expect
      .poll(async () => (await connectorYaml()).transactions.find((t) => t.name === 'albums'), { timeout: 10000 })
      .toMatchObject({ sql: expected, variables: [{ name: 'artist', type: 'string' }] });
    // the edits are the studio's own: Ctrl+Z outside the editor takes the last one back, Ctrl+Shift+Z redoes it
    const lines = () => text(editorArea().locator('.sqle-code .view-lines'));
    await item('albums').focus();
    await page.keyboard.press('Control+z');
    await expect.poll(lines).not.toBe(expected);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(lines).toBe(expected);
    await page.keyboard.press('Control+s');
    await expect.poll(() => page.getByRole('button', { name: 'Save', exact: true }).isDisabled()).toBe(true);
  });

  test('F5 shows the rows in a grid with column types, NULL apart, the row count and timing', async () => {
    await responsePanel().getByLabel('artist').fill('2');
    await sqlEditor().click();
    await page.keyboard.press('F5');
    await expect.poll(() => grid().isVisible(), { timeout: 15000 }).toBe(true);
    await expect.poll(() => text(summary())).toMatch(/^2 rows · (< 1|\d+) ms$/);
    const headers = await grid().getByRole('columnheader').allTextContents();
    expect(headers).toEqual(['#', 'TitleNVARCHAR(160)', 'PriceNUMERIC(10,2)', 'AlbumIdINTEGER']);
    const rows = grid().locator('[role="row"][aria-rowindex]:not(.sqlg-header)');
    await expect.poll(() => rows.count()).toBe(2);
    const first = await rows.nth(0).getByRole('gridcell').allTextContents();
    expect(first).toEqual(['Balls to the Wall', 'NULL', '2']);
    await expect.poll(() => rows.nth(0).getByRole('gridcell').nth(1).getAttribute('class')).toContain('sqlg-null');
    // select a cell: the whole value shows below the grid
    await rows.nth(1).getByRole('gridcell').nth(0).click();
    await expect.poll(() => text(responsePanel().getByLabel('Selected cell value'))).toBe('Restless and Wild');
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => text(responsePanel().getByLabel('Selected cell value'))).toBe('Balls to the Wall');
    // the JSON is still there, as a tab
    await responsePanel().getByRole('tab', { name: 'JSON' }).click();
    await expect.poll(() => text(responsePanel().locator('.rp-code'))).toContain('"Title": "Balls to the Wall"');
    await responsePanel().getByRole('tab', { name: 'Grid' }).click();
    await expect.poll(() => grid().isVisible()).toBe(true);
    await docScreenshot(page, 'sql-editor');
  });

  test('a 5,000-row result scrolls with only the visible rows in the DOM', async () => {
    await item('numbers').click();
    await expect.poll(() => sqlEditor().count(), { timeout: 20000 }).toBe(1);
    await page.keyboard.press('F5');
    await expect.poll(() => text(summary()), { timeout: 20000 }).toMatch(/^5,000 rows · /);
    const rendered = () => grid().locator('[role="row"]').count();
    expect(await rendered()).toBeLessThan(80);
    const types = await grid().locator('.sqlg-type').allTextContents();
    expect(types).toHaveLength(3);
    // scroll to the end: the last row is there, the first is gone, and still few rows exist
    await grid().evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect.poll(() => grid().locator('[aria-rowindex="5001"]').count()).toBe(1);
    expect(await grid().locator('[aria-rowindex="2"]').count()).toBe(0);
    expect(await rendered()).toBeLessThan(80);
    const last = await grid().locator('[aria-rowindex="5001"]').getByRole('gridcell').allTextContents();
    expect(last).toEqual(['5000', 'row 5000', '2500']);
    // keyboard: Ctrl+Home goes back to the first cell
    await grid().focus();
    await page.keyboard.press('Control+Home');
    await expect.poll(() => grid().locator('[aria-rowindex="2"]').count()).toBe(1);
    await expect.poll(() => text(responsePanel().getByLabel('Selected cell value'))).toBe('1');
  });

  test('a long cell is cut, whole on hover and below the grid when selected, and Copy copies it', async () => {
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(studio.url).origin });
    await item('long').click();
    await expect.poll(() => sqlEditor().count(), { timeout: 20000 }).toBe(1);
    await page.keyboard.press('F5');
    await expect.poll(() => text(summary()), { timeout: 15000 }).toMatch(/^1 row · /);
    const whole = `start ${'ab'.repeat(150)} end`;
    const cell = grid().getByRole('gridcell').first();
    expect((await text(cell)).length).toBeLessThan(whole.length);
    expect(await text(cell)).toMatch(/…$/);
    expect(await cell.getAttribute('title')).toBe(whole);
    await cell.click();
    await expect.poll(() => text(responsePanel().getByLabel('Selected cell value'))).toBe(whole);
    await responsePanel().getByRole('button', { name: 'Copy' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(whole);
    // NULL reads apart from text, and selecting it says NULL too
    await grid().getByRole('gridcell').nth(1).click();
    await expect.poll(() => text(responsePanel().getByLabel('Selected cell value'))).toBe('NULL');
    expect(await grid().getByRole('gridcell').nth(1).getAttribute('class')).toContain('sqlg-null');
  });

  test('a SQL error says what and where, and the editor underlines the spot', async () => {
    await item('numbers').click();
    await typeStatement('SELECT Title FROM Album WHER Nope = 1');
    await page.keyboard.press('F5');
    const alert = responsePanel().getByRole('alert');
    await expect.poll(() => text(alert), { timeout: 15000 }).toContain('Nope');
    await expect.poll(() => text(alert)).toMatch(/line 1, column \d+/);
    await expect.poll(() => editorArea().locator('.sqle-code .squiggly-error').count(), { timeout: 10000 }).toBeGreaterThan(0);
    await page.keyboard.press('Control+z');
  });

  test('right-click the connector › Generate database services…: tables to choose, progress, summary, new sequences in the tree', async () => {
    await item('db').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Generate database services…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Generate database services' });
    const tables = dialog.getByRole('group', { name: 'Tables' });
    await expect.poll(() => tables.getByRole('checkbox').count(), { timeout: 15000 }).toBe(2);
    expect(await tables.getByRole('checkbox').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).checked))).toEqual([true, true]);
    // only Album: uncheck Artist
    await tables.getByRole('checkbox', { name: /Artist/ }).uncheck();
    await docScreenshot(page, 'generate-crud');
    await dialog.getByRole('button', { name: 'Generate for 1 table' }).click();
    const summary = dialog.getByRole('status', { name: 'Summary' });
    await expect.poll(() => text(summary), { timeout: 30000 }).toMatch(/Created \d+ transactions, \d+ sequences, \d+ routes/);
    expect(await text(summary)).not.toContain('Created 0 transactions');
    await dialog.getByRole('button', { name: 'Close' }).first().click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    // the generated sequences are in the tree, the first one selected; none for Artist
    const names = await tree().getByRole('treeitem').allTextContents();
    expect(names.some((n) => /^Album\./.test(n.trim()))).toBe(true);
    expect(names.some((n) => /^Artist\./.test(n.trim()))).toBe(false);
    await expect.poll(async () => (await tree().getByRole('treeitem', { selected: true }).textContent())?.trim()).toMatch(/^Album\./);
  });

  test('the keyboard opens the context menu too (Shift+F10 on the connector row)', async () => {
    await item('db').click();
    await page.keyboard.press('Shift+F10');
    await expect.poll(() => page.getByRole('menuitem', { name: 'Generate database services…' }).count()).toBe(1);
    await page.keyboard.press('Escape');
  });
});
