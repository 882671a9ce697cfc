import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methods } from '../../src/contract/index.js';
import type { StudioService } from '../../src/service/studio-service.js';
import { recordingService, tempDir } from './helpers.js';

let service: StudioService;
let remove: () => Promise<void>;
let dir: string;

beforeAll(async () => {
  const t = await tempDir();
  dir = t.dir;
  remove = t.remove;
  await mkdir(join(dir, 'sequences'), { recursive: true });
  await writeFile(join(dir, 'trellis.yaml'), 'name: sched\nformatVersion: 1\n');
  await writeFile(
    join(dir, 'sequences', 'greet.yaml'),
    'name: greet\nvariables:\n  - { name: who, type: string }\nsteps:\n  - id: o\n    kind: output\n    props: { value: { js: "\'hello \' + who" } }\n',
  );
  // visits: counts calls in the studio session, which lasts across executions
  await writeFile(
    join(dir, 'sequences', 'visits.yaml'),
    [
      'name: visits',
      'steps:',
      '  - { id: n, kind: sessionGet, props: { key: n, default: 0 } }',
      '  - { id: s, kind: sessionSet, props: { key: n, value: { js: "steps.n + 1" } } }',
      '  - { id: o, kind: output, props: { value: { source: { from: s } } } }',
      '',
    ].join('\n'),
  );
  await writeFile(
    join(dir, 'schedules.yaml'),
    'jobs:\n  - name: morning\n    cron: "0 30 8 * * 1-5"\n    timeZone: Europe/Paris\n    sequence: greet\n    variables: { who: team }\n  - name: off\n    cron: "* * * * *"\n    sequence: greet\n    enabled: false\nautoStart:\n  - sequence: greet\n',
  );
  ({ service } = recordingService());
  await service['project.open']({ dir });
});

afterAll(async () => {
  await service.dispose();
  await remove();
});

describe('schedule.list and schedule.runNow in the studio', () => {
  it('lists jobs with their next runs in their time zone', async () => {
    const list = methods['schedule.list'].result.parse(await service['schedule.list']({ project: dir }));
    expect(list.exists).toBe(true);
    expect(list.problems).toEqual([]);
    expect(list.autoStart).toEqual([{ sequence: 'greet', variables: {} }]);
    const morning = list.jobs.find((j) => j.name === 'morning')!;
    expect(morning).toMatchObject({ cron: '0 30 8 * * 1-5', timeZone: 'Europe/Paris', sequence: 'greet', enabled: true, allowOverlap: false });
    expect(morning.nextRuns).toHaveLength(3);
    for (const r of morning.nextRuns) {
      const local = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(r));
      expect(local).toMatch(/^(Mon|Tue|Wed|Thu|Fri) 08:30$/);
    }
    expect(Date.parse(morning.nextRun!)).toBeGreaterThan(Date.now());
    expect(list.jobs.find((j) => j.name === 'off')).toMatchObject({ enabled: false, nextRun: null, nextRuns: [] });
  });

  it('runs a job now with its variables; an unknown job is a clear error', async () => {
    const result = await service['schedule.runNow']({ project: dir, job: 'morning' });
    expect(result.ok).toBe(true);
    expect(result.ok && JSON.parse(result.body!.text)).toBe('hello team');
    await expect(service['schedule.runNow']({ project: dir, job: 'nope' })).rejects.toThrow(/schedules.yaml has no job "nope" \(jobs: morning, off\)/);
  });

  it('reports a broken schedules.yaml with its line', async () => {
    await writeFile(join(dir, 'schedules.yaml'), 'jobs:\n  - name: bad\n    cron: "not a cron"\n    sequence: greet\n');
    const list = await service['schedule.list']({ project: dir });
    expect(list.jobs).toEqual([]);
    expect(list.problems).toEqual([expect.objectContaining({ file: 'schedules.yaml', line: 3, message: expect.stringMatching(/"not a cron" has 3 fields/) })]);
  });

  it('session steps run against a studio session that lasts across executions', async () => {
    const first = await service['sequence.execute']({ project: dir, sequence: 'visits', variables: {} });
    const second = await service['sequence.execute']({ project: dir, sequence: 'visits', variables: {} });
    expect([first.ok && JSON.parse(first.body!.text), second.ok && JSON.parse(second.body!.text)]).toEqual([1, 2]);
  });
});
