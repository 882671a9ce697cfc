import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { failureScreenshot, launchBrowser, ROOT, startStudio, type BrowserSession, type StudioProcess } from './helpers.js';

/*
 * First start: `npm start` with no project folder (scripts/start.mjs, web mode since there is no display) copies
 * the sample project to $TRELLIS_HOME/chinook and opens it; its SQL transaction, executed with F5, answers
 * Chinook rows from the database built from the bundled script. No network is involved.
 */

let trellisHome: string;
let studio: StudioProcess;
let browser: BrowserSession;
let page: Page;

const tree = () => page.getByRole('tree', { name: 'Projects' });
const item = (name: string) => tree().getByRole('treeitem', { name, exact: true });
const responsePanel = () => page.locator('#bottom-panel-response');
const text = async (locator: Locator) => ((await locator.textContent()) ?? '').replace(/\u00a0/g, ' ');

beforeAll(async () => {
  trellisHome = await mkdtemp(join(tmpdir(), 'trellis-e2e-trellis-home-'));
  // as npm start runs on a machine without a display: start.mjs falls back to web mode
  const saved = { DISPLAY: process.env.DISPLAY, WAYLAND_DISPLAY: process.env.WAYLAND_DISPLAY, TRELLIS_HOME: process.env.TRELLIS_HOME };
  delete process.env.DISPLAY;
  delete process.env.WAYLAND_DISPLAY;
  process.env.TRELLIS_HOME = trellisHome;
  try {
    studio = await startStudio({ command: [join(ROOT, 'scripts/start.mjs'), '--no-build', '--port', '0'], timeoutMs: 60_000 });
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  browser = await launchBrowser();
  page = browser.page;
  await page.goto(studio.url);
}, 90_000);

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') {
    const file = await failureScreenshot(page, ctx.task.name);
    console.error(`screenshot: ${file}\npage errors:\n${browser?.errors.join('\n')}\nstudio stderr (end):\n${studio?.stderr().slice(-3000)}`);
  }
});

afterAll(async () => {
  await browser?.close();
  await studio?.close();
  await rm(trellisHome, { recursive: true, force: true });
});

describe('npm start with no project folder', () => {
  test('opens the sample project, copied to the per-user workspace', async () => {
    await expect.poll(() => item('chinook').first().isVisible(), { timeout: 20_000 }).toBe(true);
    expect(existsSync(join(trellisHome, 'chinook', 'trellis.yaml'))).toBe(true);
  });

  test('F5 on its SQL transaction shows Chinook rows', async () => {
    const target = item('tracksByAlbum');
    if (!(await target.isVisible())) {
      // expand the project, then the connector, with the keyboard
      for (const level of ['1', '2', '3']) {
        const collapsed = tree().locator(`[role="treeitem"][aria-level="${level}"][aria-expanded="false"]`);
        for (let i = await collapsed.count(); i > 0 && !(await target.isVisible()); i--) {
          await collapsed.first().click();
          await page.keyboard.press('ArrowRight');
        }
      }
    }
    await target.click();
    await expect.poll(() => target.getAttribute('aria-selected')).toBe('true');
    await tree().focus();
    await page.keyboard.press('F5');
    await expect.poll(() => text(responsePanel()), { timeout: 30_000 }).toContain('For Those About To Rock (We Salute You)');
    expect(await text(responsePanel())).toContain('Angus Young, Malcolm Young, Brian Johnson');
    await page.screenshot({ path: join(ROOT, 'test/e2e/__screenshots__/sample-first-start.png') });
    expect(existsSync(join(trellisHome, 'chinook', 'data', 'chinook.db'))).toBe(true);
  }, 60_000);
});
