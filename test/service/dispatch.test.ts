import { describe, expect, it, vi } from 'vitest';
import type { StudioHandlers } from '../../src/contract/index.js';
import { TrellisError } from '../../src/engine/errors.js';
import { createDispatcher } from '../../src/service/dispatch.js';

function fakeService(overrides: Partial<Record<keyof StudioHandlers, (p: any) => Promise<unknown>>>): StudioHandlers {
  return overrides as unknown as StudioHandlers;
}

describe('createDispatcher', () => {
  it('refuses unknown methods, including prototype keys', async () => {
    const d = createDispatcher(fakeService({}));
    for (const name of ['nope.nothing', 'constructor', '__proto__', 'toString'])
      expect(await d.dispatch(name, {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD', message: expect.stringContaining(name) } });
  });

  it('validates params and names each bad field', async () => {
    const handler = vi.fn();
    const d = createDispatcher(fakeService({ 'object.move': handler }));
    const r = await d.dispatch('object.move', { project: '', ref: { type: 'transaction', connector: 'c' }, index: -1 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('BAD_PARAMS');
    expect(r.error.message).toMatch(/^object\.move: /);
    const paths = (r.error.details as Array<{ path: string }>).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['project', 'ref.transaction', 'index']));
    expect(handler).not.toHaveBeenCalled();
  });

  it('passes parsed params (with defaults) to the handler and returns its result', async () => {
    const d = createDispatcher(fakeService({ 'run.cancel': async (p) => ({ cancelled: p.runId === 'r1' }) }));
    expect(await d.dispatch('run.cancel', { runId: 'r1' })).toEqual({ ok: true, result: { cancelled: true } });
    const exec = vi.fn(async (p: any) => ({ ok: false, runId: 'x', ms: 1, error: { code: 'X', message: JSON.stringify(p.variables) } }));
    const d2 = createDispatcher(fakeService({ 'transaction.execute': exec }));
    const r = await d2.dispatch('transaction.execute', { project: '/p', target: 'a.b' });
    expect(r).toMatchObject({ ok: true, result: { error: { message: '{}' } } });
  });

  it('maps thrown errors to code, message, path and details without a stack', async () => {
    const d = createDispatcher(
      fakeService({
        'project.get': async () => {
          throw new TrellisError('NOT_FOUND', 'project /x is not open', { path: '/x', details: { open: [] } });
        },
        'project.save': async () => {
          throw new Error('disk on fire');
        },
      }),
    );
    expect(await d.dispatch('project.get', { project: '/x' })).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'project /x is not open', path: '/x', details: { open: [] } } });
    const r = await d.dispatch('project.save', { project: '/x' });
    expect(r).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'disk on fire' } });
    expect(JSON.stringify(r)).not.toContain('at ');
  });

  it('treats a result that breaks the contract as INTERNAL and logs it', async () => {
    const logger = { error: vi.fn() };
    const d = createDispatcher(fakeService({ 'run.cancel': async () => ({ cancelled: 'yes' }) }), logger as any);
    const r = await d.dispatch('run.cancel', { runId: 'r' });
    expect(r).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: expect.stringContaining('cancelled') } });
    expect(logger.error).toHaveBeenCalled();
  });
});
