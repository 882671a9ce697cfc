import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { readSchedules } from '../../src/project/schedules.js';
import { loadProject } from '../../src/project/index.js';
import type { Runtime } from '../../src/runtime/server.js';
import { call, removeDir, serve, writeProject } from './helpers.js';

const src = (from: string, path: string) => ({ source: { from, path } });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** `tick` appends {tag, at} to files/<log>.json; with `pause` it then sleeps that long. */
const tick = {
  name: 'tick',
  variables: [
    { name: 'log', type: 'string', default: 'runs' },
    { name: 'tag', type: 'string', default: 'x' },
    { name: 'pause', type: 'integer', default: 0 },
  ],
  steps: [
    { id: 'now', kind: 'dateTime', props: {} },
    { id: 'w', kind: 'writeJson', props: { file: { js: "log + '.json'" }, value: { tag: src('variables', '$.tag'), at: src('now', '$') }, mode: 'append' } },
    { id: 'p', kind: 'sleep', props: { ms: src('variables', '$.pause') } },
    { id: 'o', kind: 'output', props: { value: src('variables', '$.tag') } },
  ],
};

async function entries(dir: string, log: string): Promise<Array<{ tag: string; at: string }>> {
  try {
    return JSON.parse(await readFile(join(dir, 'files', `${log}.json`), 'utf8')) as Array<{ tag: string; at: string }>;
  } catch {
    return [];
  }
}

describe('schedules.yaml loader', () => {
  it('places problems on their lines: bad cron, unknown zone, unknown sequence, duplicate names', async () => {
    const dir = await writeProject({
      'trellis.yaml': { name: 'bad', formatVersion: 1 },
      'sequences/tick.yaml': tick,
      'schedules.yaml': [
        'jobs:',
        '  - name: a',
        '    cron: "61 * * * *"',
        '    sequence: tick',
        '  - name: a',
        '    cron: "* * * * *"',
        '    timeZone: Mars/Olympus',
        '    sequence: tick',
        '  - name: c',
        '    cron: "* * * * *"',
        '    sequence: nope',
        '    overlap: true',
        'autoStart:',
        '  - sequence: ghost',
        '',
      ].join('\n'),
    });
    try {
      const { project } = await loadProject(dir);
      const first = await readSchedules(dir, project);
      expect(first.schedules).toBeUndefined();
      expect(first.problems.map((p) => `${p.line}:${p.message}`)).toEqual(['12:jobs[2]: unknown key "overlap"; expected one of name, description, cron, timeZone, sequence, variables, allowOverlap, enabled']);
      await writeFile(join(dir, 'schedules.yaml'), (await readFile(join(dir, 'schedules.yaml'), 'utf8')).replace('    overlap: true\n', ''));
      const second = await readSchedules(dir, project);
      expect(second.problems.map((p) => `${p.file}:${p.line}: ${p.message}`)).toEqual([
        expect.stringMatching(/^schedules.yaml:3: jobs\[0\]: "61 \* \* \* \*" is not a valid cron expression/),
        'schedules.yaml:5: jobs[1]: a job named a is already defined at jobs[0]',
        'schedules.yaml:7: jobs[1]: unknown time zone "Mars/Olympus" (an IANA name such as Europe/Paris or UTC)',
        'schedules.yaml:11: jobs[2]: project bad has no sequence "nope" (sequences: tick)',
        'schedules.yaml:13: autoStart[0]: project bad has no sequence "ghost" (sequences: tick)',
      ]);
    } finally {
      await removeDir(dir);
    }
  });
});

describe('the runtime scheduler', () => {
  let dir: string;
  let dataDir: string;
  let runtime: Runtime | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'trellis-data-'));
    dir = await writeProject({
      'trellis.yaml': { name: 'sched', formatVersion: 1 },
      'sequences/tick.yaml': tick,
      'schedules.yaml': stringify({
        jobs: [
          { name: 'everySecond', cron: '* * * * * *', sequence: 'tick', variables: { log: 'fast' } },
          { name: 'slow', cron: '* * * * * *', timeZone: 'Europe/Paris', sequence: 'tick', variables: { log: 'slow', pause: 2500 } },
          { name: 'slowOverlap', cron: '* * * * * *', sequence: 'tick', variables: { log: 'overlap', pause: 2500 }, allowOverlap: true },
          { name: 'manual', cron: '0 0 1 1 *', sequence: 'tick', variables: { log: 'manual', tag: 'by hand' }, enabled: false },
        ],
        autoStart: [{ sequence: 'tick', variables: { log: 'boot', tag: 'started' } }],
      }),
    });
  });

  afterAll(async () => {
    await runtime?.close();
    await removeDir(dir);
    await rm(dataDir, { recursive: true, force: true });
  });

  it('runs autoStart, an every-second job, and no overlap of a job still running unless allowed', async () => {
    runtime = await serve([dir], { dataDir, adminToken: 'admin-token' });
    // waits on what happened, not on the clock: a slow machine only makes this take longer
    await until(async () => (await entries(dir, 'fast')).length >= 3 && (await entries(dir, 'overlap')).length >= 3 && (await entries(dir, 'slow')).length >= 2);
    const fast = await entries(dir, 'fast');
    expect(new Set(fast.map((e) => e.at.slice(0, 19))).size).toBe(fast.length); // one run per second
    expect(await entries(dir, 'boot')).toEqual([{ tag: 'started', at: expect.any(String) }]);
    // each run takes 2.5 s and the cron fires every second: without overlap a run starts only once the previous ended
    const gaps = (list: Array<{ at: string }>) => list.slice(1).map((e, i) => Date.parse(e.at) - Date.parse(list[i]!.at));
    for (const gap of gaps(await entries(dir, 'slow'))) expect(gap).toBeGreaterThanOrEqual(2400);
    expect(Math.min(...gaps(await entries(dir, 'overlap')))).toBeLessThan(2400);
    const jobs = runtime.scheduler!.list('sched');
    const every = jobs.find((j) => j.name === 'everySecond')!;
    expect(every).toMatchObject({ project: 'sched', cron: '* * * * * *', timeZone: 'UTC', sequence: 'tick', lastStatus: 'ok' });
    expect(Date.parse(every.nextRun!)).toBeGreaterThan(Date.now() - 1000);
    expect(jobs.find((j) => j.name === 'manual')).toMatchObject({ enabled: false, nextRun: null });
  }, 60_000);

  it('runs a job now, and refuses one that is running without overlap', async () => {
    expect(await runtime!.scheduler!.runNow('sched', 'manual')).toMatchObject({ status: 'ok', output: 'by hand' });
    expect((await entries(dir, 'manual')).map((e) => e.tag)).toEqual(['by hand']); // it never runs by itself: disabled
    await expect(runtime!.scheduler!.runNow('sched', 'nope')).rejects.toThrow(/no scheduled job "nope"/);
    const busy = runtime!.scheduler!.list('sched').find((j) => j.name === 'slow')!;
    if (busy.running > 0) await expect(runtime!.scheduler!.runNow('sched', 'slow')).rejects.toThrow(/is running \(allowOverlap is off\)/);
  }, 30_000);

  it('shows the jobs and runs one on the admin API', async () => {
    const auth = { authorization: 'Bearer admin-token' };
    expect((await call(`${runtime!.url}/admin/schedules`)).status).toBe(401);
    const listed = await call(`${runtime!.url}/admin/schedules`, { headers: auth });
    expect(listed.status).toBe(200);
    expect(listed.body.jobs.map((j: { name: string }) => j.name)).toEqual(['everySecond', 'slow', 'slowOverlap', 'manual']);
    const ran = await call(`${runtime!.url}/admin/schedules/sched/manual/run`, { method: 'POST', headers: auth });
    expect(ran.body).toMatchObject({ status: 'ok', output: 'by hand' });
    expect((await call(`${runtime!.url}/admin/schedules/sched/ghost/run`, { method: 'POST', headers: auth })).status).toBe(404);
  }, 30_000);

  it('stops on shutdown: no run after close', async () => {
    await runtime!.close();
    runtime = undefined;
    const count = (await entries(dir, 'fast')).length;
    await sleep(1500);
    expect((await entries(dir, 'fast')).length).toBe(count);
  }, 30_000);
});

describe('missed runs after a restart', () => {
  it('run once, never twice', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'trellis-data-'));
    // a daily job whose time is 12 hours away from now: no occurrence falls during the test
    const hour = (new Date().getUTCHours() + 12) % 24;
    const dir = await writeProject({
      'trellis.yaml': { name: 'catchup', formatVersion: 1 },
      'sequences/tick.yaml': tick,
      'schedules.yaml': stringify({ jobs: [{ name: 'daily', cron: `0 0 ${hour} * * *`, sequence: 'tick', variables: { log: 'daily', tag: 'caught up' } }] }),
    });
    try {
      // the runtime last handled the occurrence of three days ago: the two since were missed while it was down
      const due = new Date();
      due.setUTCHours(hour, 0, 0, 0);
      if (due.getTime() > Date.now()) due.setUTCDate(due.getUTCDate() - 1);
      const threeDaysAgo = new Date(due.getTime() - 2 * 86_400_000);
      await writeFile(join(dataDir, 'schedules-state.json'), JSON.stringify({ 'catchup/daily': { lastScheduled: threeDaysAgo.toISOString() } }));
      let runtime = await serve([dir], { dataDir });
      await until(async () => (await entries(dir, 'daily')).length > 0);
      await runtime.close();
      expect((await entries(dir, 'daily')).map((e) => e.tag)).toEqual(['caught up']);
      const state = JSON.parse(await readFile(join(dataDir, 'schedules-state.json'), 'utf8')) as Record<string, { lastScheduled: string; lastStatus: string }>;
      expect(state['catchup/daily']).toMatchObject({ lastScheduled: due.toISOString(), lastStatus: 'ok' });
      runtime = await serve([dir], { dataDir });
      await sleep(1500);
      await runtime.close();
      expect(await entries(dir, 'daily')).toHaveLength(1);
    } finally {
      await removeDir(dir);
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 30_000);
});
