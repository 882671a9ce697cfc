import { vi } from 'vitest';

/** A stand-in for the `electron` module, which throws outside Electron: records what main/ asks of it. */
export function electronMock() {
  const handlers = new Map<string, (...args: any[]) => unknown>();
  const protocolHandlers = new Map<string, (request: Request) => Promise<Response>>();
  const windows: any[] = [];
  class BrowserWindow {
    static getFocusedWindow = vi.fn(() => null);
    options: any;
    listeners = new Map<string, (...args: any[]) => void>();
    webContents = {
      handlers: new Map<string, (...args: any[]) => void>(),
      windowOpenHandler: undefined as undefined | ((d: { url: string }) => unknown),
      on(name: string, fn: (...args: any[]) => void) {
        this.handlers.set(name, fn);
      },
      once: vi.fn(),
      send: vi.fn(),
      isDestroyed: () => false,
      setWindowOpenHandler(fn: (d: { url: string }) => unknown) {
        this.windowOpenHandler = fn;
      },
    };
    constructor(options: any) {
      this.options = options;
      windows.push(this);
    }
    on(name: string, fn: (...args: any[]) => void) {
      this.listeners.set(name, fn);
    }
    once = vi.fn();
    loadURL = vi.fn(async () => undefined);
    close = vi.fn();
  }
  return {
    handlers,
    protocolHandlers,
    windows,
    module: {
      app: { whenReady: vi.fn(async () => undefined), on: vi.fn(), quit: vi.fn() },
      BrowserWindow,
      ipcMain: { handle: vi.fn((channel: string, fn: any) => handlers.set(channel, fn)), removeHandler: vi.fn((channel: string) => handlers.delete(channel)) },
      protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn((scheme: string, fn: any) => protocolHandlers.set(scheme, fn)) },
      session: { defaultSession: { webRequest: { onHeadersReceived: vi.fn() }, setPermissionRequestHandler: vi.fn() } },
      shell: { openExternal: vi.fn(async () => undefined) },
      Menu: { buildFromTemplate: vi.fn((t: unknown) => t), setApplicationMenu: vi.fn() },
      dialog: { showMessageBox: vi.fn(async () => ({ response: 2 })) },
    },
  };
}
