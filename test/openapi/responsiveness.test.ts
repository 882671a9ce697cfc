import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readOpenApi } from '../../src/openapi/import.js';
import { TimeSlicer } from '../../src/openapi/slice.js';
import { openapiDir } from './helpers.js';

// The import runs in the process of the studio's web server / Electron main: it must give the event loop
// a turn every few ms (time-sliced), however many files it reads, and stop soon after a cancellation.

const DIGITALOCEAN = join(openapiDir, 'digitalocean-v3.0/DigitalOcean-public.v2.yaml');

/** Runs `work` while a 10 ms interval probes the event loop; the longest time between two probes (ms). */
async function longestStall<T>(work: () => Promise<T>): Promise<{ value: T; stall: number }> {
  let last = performance.now();
  let stall = 0;
  const probe = setInterval(() => {
    const now = performance.now();
    stall = Math.max(stall, now - last);
    last = now;
  }, 10);
  try {
    const value = await work();
    return { value, stall: Math.max(stall, performance.now() - last) };
  } finally {
    clearInterval(probe);
  }
}

const busy = (ms: number): void => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};

describe('TimeSlicer', () => {
  it('concurrent tasks sharing it cannot each claim a fresh slice after a turn', async () => {
    const slicer = new TimeSlicer(undefined, 10);
    let sinceTurn = 0;
    let most = 0;
    let stop = false;
    const tick = (): void => {
      sinceTurn = 0;
      if (!stop) setImmediate(tick);
    };
    setImmediate(tick);
    const task = async (): Promise<void> => {
      for (let i = 0; i < 4; i++)
        await slicer.run(() => {
          busy(2);
          most = Math.max(most, ++sinceTurn);
        });
    };
    await Promise.all(Array.from({ length: 32 }, task));
    stop = true;
    // 10 ms slices of 2 ms items: about 6 items between two turns of the loop (32 tasks × 5 items without the shared turn)
    expect(most).toBeLessThanOrEqual(8);
  });

  it('checks cancellation at every turn', async () => {
    const ac = new AbortController();
    const slicer = new TimeSlicer(ac.signal, 5);
    const ran = slicer.run(() => busy(10)).then(() => slicer.run(() => 'more'));
    ac.abort();
    await expect(ran).rejects.toMatchObject({ code: 'CANCELLED' });
    await expect(slicer.pass()).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});

describe('reading the largest corpus spec (DigitalOcean, ~1,500 files)', () => {
  // Under 300 ms even on a loaded 2-core machine (the 10 ms slices give ~15-100 ms there; before the slicing,
  // 32 concurrent reads resumed by one turn each took a fresh slice: 0.5-1 s).
  it('never holds the event loop long', { retry: 2, timeout: 60_000 }, async () => {
    const { value: plan, stall } = await longestStall(() => readOpenApi(DIGITALOCEAN));
    expect(plan.spec.files).toBeGreaterThan(1000);
    expect(plan.connector.transactions.length).toBeGreaterThan(600);
    expect(stall).toBeLessThan(300);
  });

  it('stops soon after a cancellation that comes from a timer', { retry: 2, timeout: 60_000 }, async () => {
    const ac = new AbortController();
    let abortedAt = 0;
    const phases = new Set<string>();
    setTimeout(() => {
      abortedAt = performance.now();
      ac.abort();
    }, 150);
    await expect(readOpenApi(DIGITALOCEAN, { signal: ac.signal, onProgress: (p) => phases.add(p.phase) })).rejects.toMatchObject({ code: 'CANCELLED' });
    // the timer fired during the load (it could run at all: the loop was free), and the load stopped promptly
    expect(abortedAt).toBeGreaterThan(0);
    // (on a loaded machine the timer may fire before the first progress report: no phase, never a later one)
    expect([...phases].filter((p) => p !== 'load')).toEqual([]);
    expect(performance.now() - abortedAt).toBeLessThan(300);
  });
});
