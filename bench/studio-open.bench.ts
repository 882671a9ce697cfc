/**
 * bench/studio-open: opens a project with 2,000 transactions in the web studio (headless Chromium) and
 * measures (1) navigation start → the Projects tree rendered and interactive, (2) expand the connector,
 * scroll to the end and select the last transaction (until the selection is painted). Targets: < 1 s
 * and < 100 ms. A 20-transaction project measured in the same run is the baseline for the ratios.
 *
 *   node bin/run-ts.mjs bench/studio-open.bench.ts [--transactions 2000] [--runs 3]
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser, ROOT, startStudio } from '../test/e2e/helpers.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

const TRANSACTIONS = arg('transactions', 2000);
const RUNS = arg('runs', 3);
const CONNECTOR = 'catalog';

/** Writes the project's YAML directly (no engine), like a large real project on disk. */
async function writeProject(root: string, name: string, count: number): Promise<string> {
  const dir = join(root, name);
  await mkdir(join(dir, 'connectors'), { recursive: true });
  await mkdir(join(dir, 'sequences'), { recursive: true });
  await writeFile(join(dir, 'trellis.yaml'), `name: ${name}\nformatVersion: 1\n`);
  const lines = [`name: ${CONNECTOR}`, 'kind: http', 'config:', '  host: 127.0.0.1:9', '  https: false', '  basePath: /v1', 'transactions:'];
  for (let i = 0; i < count; i++) {
    const n = String(i).padStart(4, '0');
    lines.push(
      `  - name: op${n}`,
      '    type: json',
      `    method: ${i % 3 === 0 ? 'POST' : 'GET'}`,
      `    path: /items${n}/{id}`,
      '    variables:',
      '      - { name: id, type: integer, required: true }',
      '      - { name: fields, type: string, in: query }',
    );
  }
  await writeFile(join(dir, 'connectors', `${CONNECTOR}.yaml`), `${lines.join('\n')}\n`);
  return dir;
}

// Runs in the page before the app: records when the connector's row first exists (the tree is rendered
// and React's handlers are attached: it is interactive).
const READY_SCRIPT = `
  window.__treeReadyAt = undefined;
  new MutationObserver((_, observer) => {
    if (document.querySelector('[role="tree"] [role="treeitem"][aria-label="${CONNECTOR}"]')) {
      window.__treeReadyAt = performance.now();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
`;

/**
 * In the page: expand the connector, scroll to the end, select the last transaction, wait for the paint.
 * Plain JavaScript text (not a TypeScript function) so the transpiler adds nothing the page lacks.
 */
const EXPAND_SCROLL_SELECT = `async ({ connector, last }) => {
  const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
  const until = async (check) => { while (!check()) await frame(); };
  const rowOf = (name) => document.querySelector('[role="tree"] [role="treeitem"][aria-label="' + name + '"]');
  const start = performance.now();
  const tree = document.querySelector('[role="tree"]');
  rowOf(connector).querySelector('.twisty').dispatchEvent(new MouseEvent('mousedown', { bubbles: true, button: 0 }));
  await until(() => rowOf(connector)?.getAttribute('aria-expanded') === 'true');
  tree.scrollTop = tree.scrollHeight;
  await until(() => !!rowOf(last));
  rowOf(last).dispatchEvent(new MouseEvent('mousedown', { bubbles: true, button: 0 }));
  await until(() => rowOf(last)?.getAttribute('aria-selected') === 'true');
  await frame();
  return performance.now() - start;
}`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function measure(dir: string, count: number): Promise<{ open: number; select: number }> {
  const studio = await startStudio({ dirs: [dir] });
  const browser = await launchBrowser();
  try {
    const opens: number[] = [];
    const selects: number[] = [];
    await browser.context.addInitScript(READY_SCRIPT);
    const last = `op${String(count - 1).padStart(4, '0')}`;
    for (let run = 0; run < RUNS + 1; run++) {
      // a fresh profile state each time: the tree starts with the large connector collapsed
      await browser.page.goto(studio.url);
      await browser.page.waitForFunction(() => (window as unknown as { __treeReadyAt?: number }).__treeReadyAt !== undefined, undefined, { timeout: 30000 });
      const open = (await browser.page.evaluate('window.__treeReadyAt')) as number;
      const expanded = await browser.page.getAttribute(`[role="treeitem"][aria-label="${CONNECTOR}"]`, 'aria-expanded');
      if (expanded === 'true') {
        // small connectors open expanded: collapse it first so every run does the same work
        await browser.page.click(`[role="treeitem"][aria-label="${CONNECTOR}"] .twisty`);
      }
      const selectMs = (await browser.page.evaluate(`(${EXPAND_SCROLL_SELECT})(${JSON.stringify({ connector: CONNECTOR, last })})`)) as number;
      if (run > 0) {
        // the first run warms the browser's caches and compiles the bundle; it is not counted
        opens.push(open);
        selects.push(selectMs);
      }
    }
    return { open: median(opens), select: median(selects) };
  } finally {
    await browser.close();
    await studio.close();
  }
}

async function main(): Promise<void> {
  if (!existsSync(join(ROOT, 'out/renderer/index.html'))) {
    console.log('building the renderer (electron-vite build)…');
    const built = spawnSync(process.execPath, [join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: ROOT, stdio: 'inherit' });
    if (built.status !== 0) throw new Error('electron-vite build failed');
  }
  const root = await mkdtemp(join(tmpdir(), 'trellis-bench-open-'));
  try {
    const small = await writeProject(root, 'small', 20);
    const big = await writeProject(root, 'big', TRANSACTIONS);
    const baseline = await measure(small, 20);
    const result = await measure(big, TRANSACTIONS);
    const row = (label: string, value: number, base: number, target: number) =>
      `${label.padEnd(46)} ${value.toFixed(1).padStart(8)} ms  (baseline 20 tx: ${base.toFixed(1)} ms, ratio ${(value / base).toFixed(2)}; target < ${target} ms: ${value < target ? 'ok' : 'MISSED'})`;
    console.log(`bench/studio-open: ${TRANSACTIONS} transactions, median of ${RUNS} runs, headless Chromium`);
    console.log(row('navigation → tree interactive', result.open, baseline.open, 1000));
    console.log(row('expand + scroll to end + select last', result.select, baseline.select, 100));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

await main();
