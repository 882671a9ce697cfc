import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { methodNames } from '../../src/contract/index.js';
import { tempDir } from '../service/helpers.js';
import { electronMock } from './electron-mock.js';

const electron = vi.hoisted(() => ({ current: undefined as any }));
vi.mock('electron', async () => {
  const { electronMock: make } = await import('./electron-mock.js');
  electron.current = make();
  return electron.current.module;
});

const { registerIpc, channelOf } = await import('../../main/ipc.js');
const { menuTemplate } = await import('../../main/menus.js');
const { isAppUrl, serveAppProtocol } = await import('../../main/protocol.js');

describe('main/ipc.ts', () => {
  it('binds every contract method and routes a call from the studio page through the dispatcher', async () => {
    const mock = electronMock();
    const dispatch = vi.fn(async (method: string, params: unknown) => ({ ok: true as const, result: { method, params } }));
    registerIpc(mock.module.ipcMain as any, { dispatch }, isAppUrl);
    expect([...mock.handlers.keys()].sort()).toEqual(methodNames.map((m) => `trellis:${m}`).sort());
    const r = await mock.handlers.get(channelOf('project.get'))!({ senderFrame: { url: 'app://studio/index.html' } }, { project: '/p' });
    expect(r).toEqual({ ok: true, result: { method: 'project.get', params: { project: '/p' } } });
    expect(dispatch).toHaveBeenCalledWith('project.get', { project: '/p' });
  });

  it('refuses a call from a foreign frame without reaching the dispatcher', async () => {
    const mock = electronMock();
    const dispatch = vi.fn();
    registerIpc(mock.module.ipcMain as any, { dispatch }, isAppUrl);
    for (const frame of [{ url: 'https://evil.example/' }, { url: 'file:///etc/passwd' }, { url: 'app://other/index.html' }, null]) {
      const r = await mock.handlers.get(channelOf('fs.list'))!({ senderFrame: frame }, {});
      expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    expect(dispatch).not.toHaveBeenCalled();
  });
});

describe('main/menus.ts', () => {
  it('has the studio accelerators, each sending its command', () => {
    const run = vi.fn();
    const items = menuTemplate(run, 'linux').flatMap((m: any) => (Array.isArray(m.submenu) ? m.submenu : []));
    const byAccelerator = new Map(items.filter((i: any) => i.accelerator).map((i: any) => [i.accelerator, i]));
    const expected: Record<string, string> = {
      F5: 'execute',
      'Shift+F5': 'stop',
      'CmdOrCtrl+S': 'save',
      'CmdOrCtrl+N': 'newProject',
      'CmdOrCtrl+O': 'open',
      'CmdOrCtrl+Z': 'undo',
      'CmdOrCtrl+Shift+Z': 'redo',
      'CmdOrCtrl+P': 'quickOpen',
      'CmdOrCtrl+F5': 'debug',
      F8: 'continue',
      F10: 'stepOver',
      F11: 'stepInto',
      'Shift+F11': 'stepOut',
      F9: 'toggleBreakpoint',
    };
    for (const [accelerator, command] of Object.entries(expected)) {
      (byAccelerator.get(accelerator) as any).click();
      expect(run).toHaveBeenLastCalledWith(command);
    }
  });
});

describe('main/protocol.ts', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let handle: (request: Request) => Promise<Response>;
  beforeAll(async () => {
    tmp = await tempDir();
    await mkdir(join(tmp.dir, 'renderer/assets'), { recursive: true });
    await writeFile(join(tmp.dir, 'renderer/index.html'), '<!doctype html><title>studio</title>');
    await writeFile(join(tmp.dir, 'renderer/assets/app.js'), '1');
    await writeFile(join(tmp.dir, 'secret.txt'), 'secret');
    serveAppProtocol(join(tmp.dir, 'renderer'));
    handle = electron.current.protocolHandlers.get('app');
  });
  afterAll(() => tmp.remove());

  it('serves the renderer with a CSP on HTML and refuses traversal', async () => {
    const page = await handle(new Request('app://studio/index.html'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await handle(new Request('app://studio/assets/app.js'))).headers.get('content-type')).toContain('javascript');
    expect(await (await handle(new Request('app://studio/some/route'))).text()).toContain('<title>studio</title>');
    const escape = await handle(new Request('app://studio/assets/..%2f..%2fsecret.txt'));
    expect(escape.status).toBe(403);
    expect((await handle(new Request('app://elsewhere/index.html'))).status).toBe(404);
  });
});

describe('main/index.ts', () => {
  it('opens one window with contextIsolation and sandbox on, nodeIntegration off, and guards navigation', async () => {
    const { started } = await import('../../main/index.js');
    const { window, service } = await started;
    const mock = electron.current;
    expect(mock.module.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([expect.objectContaining({ scheme: 'app' })]);
    const prefs = mock.windows[0].options.webPreferences;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(prefs.preload).toMatch(/preload[/\\]index\.cjs$/);
    expect(prefs.additionalArguments[0]).toContain('project.open');
    expect(window.loadURL).toHaveBeenCalledWith('app://studio/index.html');

    const navigate = mock.windows[0].webContents.handlers.get('will-navigate');
    const foreign = { preventDefault: vi.fn() };
    navigate(foreign, 'https://evil.example/');
    expect(foreign.preventDefault).toHaveBeenCalled();
    const own = { preventDefault: vi.fn() };
    navigate(own, 'app://studio/index.html#x');
    expect(own.preventDefault).not.toHaveBeenCalled();
    expect(mock.windows[0].webContents.windowOpenHandler({ url: 'https://example.com' })).toEqual({ action: 'deny' });
    expect(mock.module.session.defaultSession.webRequest.onHeadersReceived).toHaveBeenCalled();
    expect(mock.handlers.size).toBe(methodNames.length);
    await service.dispose();
  });
});
