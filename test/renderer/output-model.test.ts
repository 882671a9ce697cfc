import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../../src/contract/index.js';
import { appendCapped, entryText, filterEntries, isAtBottom, levelRank, toLogEntry, visibleWindow } from '../../renderer/features/output/output-model.js';

const e = (level: LogEntry['level'], message: string, category = 'engine'): LogEntry => ({ time: '2024-01-01T10:00:00.000Z', level, category, message });

describe('output model', () => {
  it('ranks levels', () => {
    expect(levelRank('trace')).toBeLessThan(levelRank('debug'));
    expect(levelRank('warn')).toBeLessThan(levelRank('error'));
    expect(levelRank('weird')).toBe(levelRank('info'));
  });

  it('keeps the last lines only', () => {
    expect(appendCapped([1, 2, 3], [4, 5], 4)).toEqual([2, 3, 4, 5]);
    expect(appendCapped([1], [2, 3, 4, 5, 6], 3)).toEqual([4, 5, 6]);
    expect(appendCapped([1], [2], 5)).toEqual([1, 2]);
    const big = appendCapped(Array.from({ length: 5000 }, (_, i) => i), [5000]);
    expect(big.length).toBe(5000);
    expect(big[0]).toBe(1);
  });

  it('filters by minimum level and text', () => {
    const list = [e('debug', 'pool opened'), e('info', 'GET /products/1', 'http'), e('error', 'connection refused', 'http')];
    expect(filterEntries(list, 'trace', '').length).toBe(3);
    expect(filterEntries(list, 'info', '').map((x) => x.message)).toEqual(['GET /products/1', 'connection refused']);
    expect(filterEntries(list, 'trace', 'HTTP').length).toBe(2);
    expect(filterEntries(list, 'warn', 'http').map((x) => x.level)).toEqual(['error']);
  });

  it('computes the visible window', () => {
    expect(visibleWindow(0, 180, 18, 1000, 5)).toEqual({ start: 0, end: 16 });
    expect(visibleWindow(18 * 500, 180, 18, 1000, 5)).toEqual({ start: 495, end: 516 });
    expect(visibleWindow(18 * 995, 180, 18, 1000, 5).end).toBe(1000);
    expect(visibleWindow(0, 100, 18, 0)).toEqual({ start: 0, end: 0 });
    expect(isAtBottom(820, 180, 1000, 18)).toBe(true);
    expect(isAtBottom(500, 180, 1000, 18)).toBe(false);
  });

  it('reads log.entry payloads', () => {
    expect(toLogEntry({ time: 't', level: 'warn', category: 'c', message: 'm' })).toEqual({ time: 't', level: 'warn', category: 'c', message: 'm', data: undefined });
    expect(toLogEntry({ level: 'odd', message: 'm' })?.level).toBe('info');
    expect(toLogEntry({ level: 'info' })).toBeUndefined();
    expect(entryText({ ...e('info', 'hello'), data: { a: 1 } })).toBe('2024-01-01T10:00:00.000Z INFO [engine] hello {"a":1}');
  });
});
