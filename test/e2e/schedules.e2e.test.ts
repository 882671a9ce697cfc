import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { docScreenshot, eventually, failureScreenshot, launchBrowser, startStudio } from './helpers.js';
import type { BrowserSession, StudioProcess } from './helpers.js';

/*
 * The Schedules panel in web mode: the jobs of schedules.yaml with their next run, Run now (keyboard) runs
 * the job's sequence in the studio with its variables, and a broken schedules.yaml shows its problems by line.
 */

let root: string;
let studio: StudioProcess;
let browser: BrowserSession;
let page: Page;
const dir = () => join(root, 'stamps');

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'trellis-e2e-sched-'));
  await mkdir(join(dir(), 'sequences'), { recursive: true });
  await writeFile(join(dir(), 'trellis.yaml'), 'name: stamps\nformatVersion: 1\n');
  await writeFile(
    join(dir(), 'sequences', 'stamp.yaml'),
    [
      'name: stamp',
      'variables:',
      '  - { name: label, type: string }',
      'steps:',
      '  - { id: now, kind: dateTime, props: {} }',
      '  - { id: w, kind: writeJson, props: { file: stamp.json, value: { label: { source: { from: variables, path: $.label } }, at: { source: { from: now } } } } }',
      '',
    ].join('\n'),
  );
  await writeFile(
    join(dir(), 'schedules.yaml'),
    'jobs:\n  - name: nightly\n    cron: "0 30 2 * * *"\n    timeZone: Europe/Paris\n    sequence: stamp\n    variables: { label: nightly run }\n  - name: paused\n    cron: "*/5 * * * *"\n    sequence: stamp\n    enabled: false\nautoStart:\n  - sequence: stamp\n',
  );
  studio = await startStudio({ dirs: [dir()] });
  browser = await launchBrowser();
  page = browser.page;
  await page.goto(studio.url);
}, 60_000);

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') {
    const file = await failureScreenshot(page, `schedules ${ctx.task.name}`);
    console.error(`screenshot: ${file}\npage errors:\n${browser?.errors.join('\n')}\nstudio stderr (end):\n${studio?.stderr().slice(-3000)}`);
  }
});

afterAll(async () => {
  await browser?.close();
  await studio?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

const panel = () => page.locator('#bottom-panel-schedules');
const jobs = () => panel().getByRole('table', { name: 'Scheduled jobs' });

describe('Schedules panel', () => {
  test('lists the jobs with their next run and the autoStart sequences', async () => {
    await page.getByRole('tab', { name: 'Schedules' }).click();
    await expect.poll(() => jobs().getByRole('row').count(), { timeout: 20000 }).toBe(3);
    const nightly = jobs().getByRole('row', { name: /nightly/ });
    await expect.poll(() => nightly.textContent()).toMatch(/stamp.*0 30 2 \* \* \*.*Europe\/Paris.*\(in /);
    await expect.poll(() => jobs().getByRole('row', { name: /paused/ }).textContent()).toContain('disabled');
    await expect.poll(() => panel().textContent()).toContain('Runs when the runtime starts: stamp');
  });

  test('Run now (keyboard) runs the job here with its variables', async () => {
    const run = panel().getByRole('button', { name: 'Run nightly now' });
    await run.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => panel().getByRole('status').first().textContent(), { timeout: 20000 }).toMatch(/^ok in \d+ ms$/);
    const written = await eventually(async () => JSON.parse(await readFile(join(dir(), 'files', 'stamp.json'), 'utf8')) as { label: string; at: string });
    expect(written.label).toBe('nightly run');
    await docScreenshot(page, 'schedules');
  });

  test('a broken schedules.yaml shows its problems by line', async () => {
    await writeFile(join(dir(), 'schedules.yaml'), 'jobs:\n  - name: bad\n    cron: "99 * * * *"\n    sequence: stamp\n');
    await panel().getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => panel().getByRole('list', { name: 'schedules.yaml problems' }).textContent(), { timeout: 10000 }).toMatch(/schedules.yaml:3:\d+: jobs\[0\]: "99 \* \* \* \*" is not a valid cron expression/);
  });
});
