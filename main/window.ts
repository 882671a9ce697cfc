import { BrowserWindow, session, shell, type BrowserWindowConstructorOptions } from 'electron';
import { methodNames } from '../src/contract/index.js';
import { contentSecurityPolicy } from '../src/web/static-files.js';
import { APP_ORIGIN, isAppUrl } from './protocol.js';

/** The preload reads the method list from here: importing the contract would pull zod into a sandboxed preload that cannot load it. */
export const METHODS_ARGUMENT = '--trellis-methods=';

export function windowOptions(preload: string): BrowserWindowConstructorOptions {
  return {
    width: 1440,
    height: 900,
    minWidth: 800,
    minHeight: 500,
    show: false,
    title: 'Trellis',
    webPreferences: {
      // The renderer is a web page: no Node, its own JS world, an OS sandbox; it reaches the engine only through the preload's window.trellis.
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      preload,
      additionalArguments: [`${METHODS_ARGUMENT}${methodNames.join(',')}`],
    },
  };
}

/** CSP on every response, even ones not served by our protocol handler; permissions (camera, geolocation...) are never granted. */
export function hardenSession(): void {
  const csp = contentSecurityPolicy();
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
}

export function createMainWindow(preload: string): BrowserWindow {
  const win = new BrowserWindow(windowOptions(preload));
  const contents = win.webContents;
  const stayHome = (event: { preventDefault(): void }, url: string) => {
    if (!isAppUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', stayHome);
  contents.on('will-redirect', stayHome);
  contents.setWindowOpenHandler(({ url }) => {
    // Links to documentation or a backend open in the user's browser, never inside the studio.
    if (/^https?:\/\//i.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}
