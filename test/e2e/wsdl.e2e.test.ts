import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { listen } from 'soap';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { ROOT, docScreenshot, failureScreenshot, launchBrowser, startStudio } from './helpers.js';
import type { BrowserSession, StudioProcess } from './helpers.js';

/*
 * Import > WSDL, as a person does it in the studio (web mode, headless Chromium):
 * - a `soap` package server on 127.0.0.1 serves the corpus StockQuote (document/literal SOAP 1.1) and its
 *   WSDL at ?wsdl; the wizard reads it by URL, previews the operations, imports two of three, and one
 *   imported transaction runs with F5: the response shows the JSON and the XML;
 * - the test fixture Orders WSDL offers SOAP 1.1 and 1.2: the wizard lets the person choose;
 * - a malformed WSDL is refused with its file and line, the field to fix focused.
 */

const STOCKQUOTE = resolve(ROOT, '../shared/corpus/wsdl/stockquote/stockquote.wsdl');
const ORDERS = resolve(ROOT, 'test/wsdl/fixtures/orders.wsdl');

let server: Server;
let soapUrl = '';
let studio: StudioProcess;
let browser: BrowserSession;
let page: Page;
let wsdls: string;
let projectDir: string;
const calls: string[] = [];

beforeAll(async () => {
  server = createServer((_req, res) => res.writeHead(404).end());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  soapUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/stockquote`;
  await new Promise<void>((ready, fail) => {
    const s = listen(server, {
      path: '/stockquote',
      // the WSDL it serves (at ?wsdl) gives this server as the service's address
      xml: readFileSync(STOCKQUOTE, 'utf8').replace('http://localhost:15099/stockquote', soapUrl),
      callback: (err: unknown) => (err ? fail(err) : ready()),
      services: {
        StockQuoteService: {
          StockQuotePort: {
            GetLastTradePrice: (args: Record<string, unknown>) => ({ price: args.tickerSymbol === 'IBM' ? 139.5 : 1.25, tax: 0.2, other: 7 }),
            SetTradePrice: () => ({}),
            IsValidPrice: () => ({ valid: true }),
          },
        },
      },
    });
    s.log = (type: string, data: unknown) => {
      if (type === 'received') calls.push(String(data));
    };
  });

  studio = await startStudio();
  const workspace = join(studio.home, 'workspace');
  wsdls = join(workspace, 'wsdl');
  projectDir = join(workspace, 'quotes');
  await mkdir(wsdls, { recursive: true });
  await mkdir(join(projectDir, 'connectors'), { recursive: true });
  await writeFile(join(projectDir, 'trellis.yaml'), 'name: quotes\nformatVersion: 1\n');
  await writeFile(join(wsdls, 'orders.wsdl'), readFileSync(ORDERS));
  await writeFile(join(wsdls, 'broken.wsdl'), '<?xml version="1.0"?>\n<definitions xmlns="http://schemas.xmlsoap.org/wsdl/">\n  <message name="a">\n</definitions>\n');

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
  for (let i = 0; i < 3 && (await page.locator('[aria-modal="true"]').count()) > 0; i++) await page.keyboard.press('Escape');
});

afterAll(async () => {
  await browser?.close();
  await studio?.close();
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
});

const tree = () => page.getByRole('tree', { name: 'Projects' });
const item = (name: string) => tree().getByRole('treeitem', { name, exact: true });
const wizard = () => page.getByRole('dialog', { name: 'Import WSDL' });
const responsePanel = () => page.locator('#bottom-panel-response');

async function text(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').replace(/\u00a0/g, ' ');
}

async function openWizardFromTree(): Promise<Locator> {
  await tree().getByRole('treeitem', { name: /^quotes(, unsaved changes)?$/ }).click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Import WSDL…' }).click();
  await expect.poll(() => wizard().isVisible()).toBe(true);
  return wizard();
}

describe('Import WSDL', () => {
  test('imports the StockQuote WSDL by URL and runs an imported operation with F5', async () => {
    await expect.poll(() => item('quotes').isVisible(), { timeout: 15000 }).toBe(true);
    const dialog = await openWizardFromTree();
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.field)).toBe('source');
    await dialog.getByLabel('WSDL file or URL').fill(`${soapUrl}?wsdl`);
    await page.keyboard.press('Enter'); // Next: reads the WSDL, then shows the operations
    await expect.poll(() => dialog.getByRole('group', { name: 'Operations', exact: true }).isVisible(), { timeout: 20000 }).toBe(true);
    await expect.poll(() => dialog.getByRole('group', { name: 'Operations', exact: true }).locator('.op-row').count()).toBe(3);
    expect(await text(dialog.getByLabel('Import summary'))).toMatch(/StockQuoteService · port StockQuotePort · SOAP 1\.1/);
    expect(await text(dialog.getByLabel('Import summary'))).toContain(soapUrl);
    await dialog.getByRole('checkbox', { name: /SetTradePrice/ }).uncheck();
    await expect.poll(() => text(dialog.locator('.import-selected-count'))).toBe('2 of 3 selected');
    await docScreenshot(page, 'wsdl-wizard');

    await dialog.getByRole('button', { name: 'Import 2' }).click();
    await expect.poll(() => text(dialog), { timeout: 20000 }).toContain('2 operations imported into the SOAP connector stockQuoteService');
    await page.keyboard.press('Enter'); // Open connector
    await expect.poll(() => wizard().count()).toBe(0);
    await expect.poll(() => item('GetLastTradePrice').isVisible()).toBe(true);
    expect(await item('SetTradePrice').count()).toBe(0);

    await item('GetLastTradePrice').click();
    await responsePanel().getByLabel('tickerSymbol', { exact: true }).fill('IBM');
    await tree().focus();
    await page.keyboard.press('F5');
    await expect.poll(() => text(responsePanel()), { timeout: 20000 }).toContain('139.5');
    await expect.poll(() => text(responsePanel())).toContain('TradePrice');
    expect(calls.some((c) => c.includes('IBM'))).toBe(true);
    // the XML as received, beside the JSON
    await responsePanel().getByRole('tab', { name: 'Raw' }).click();
    await expect.poll(() => text(responsePanel())).toMatch(/Envelope[\s\S]*TradePrice[\s\S]*139\.5/);
  });

  test('offers SOAP 1.1 and 1.2 when the service has both, and reads again on a change', async () => {
    const dialog = await openWizardFromTree();
    await dialog.getByLabel('WSDL file or URL').fill(join(wsdls, 'orders.wsdl'));
    await dialog.getByLabel('Connector').focus(); // leaving the source reads it
    const soap12 = dialog.getByRole('radio', { name: 'SOAP 1.2' });
    await expect.poll(() => soap12.isVisible(), { timeout: 20000 }).toBe(true);
    expect(await dialog.getByRole('radio', { name: 'SOAP 1.1' }).isChecked()).toBe(true);
    await soap12.check();
    await expect.poll(() => text(dialog), { timeout: 20000 }).toContain('port OrdersSoap12 (SOAP 1.2)');
    await page.keyboard.press('Escape');
    await expect.poll(() => wizard().count()).toBe(0);
  });

  test('names the file and line of a malformed WSDL and focuses the field to fix', async () => {
    const dialog = await openWizardFromTree();
    await dialog.getByLabel('WSDL file or URL').fill(join(wsdls, 'broken.wsdl'));
    await page.keyboard.press('Enter');
    const panel = dialog.getByRole('alert', { name: 'The WSDL cannot be imported' });
    await expect.poll(() => panel.isVisible(), { timeout: 15000 }).toBe(true);
    const message = await text(panel);
    expect(message).toContain('broken.wsdl');
    expect(message).toMatch(/Line\s*\d+/);
    expect(message).toMatch(/malformed XML/);
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.field)).toBe('source');
    await page.keyboard.press('Escape');
    await expect.poll(() => wizard().count()).toBe(0);
  });
});
