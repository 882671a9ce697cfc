import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, ipcMain } from 'electron';
import { ensureSampleProject } from '../src/project/sample.js';
import { createDispatcher } from '../src/service/dispatch.js';
import { StudioService } from '../src/service/studio-service.js';
import { confirmUnsaved, showSaveFailed } from './dialogs.js';
import { forwardEvents, registerIpc, sendCommand } from './ipc.js';
import { installMenu } from './menus.js';
import { isAppUrl, registerAppScheme, serveAppProtocol } from './protocol.js';
import { createMainWindow, hardenSession } from './window.js';

// The Electron shell is wiring only: the engine is the same StudioService web mode uses.
const here = dirname(fileURLToPath(import.meta.url));
const rendererDir = join(here, '../renderer');
const preload = join(here, '../preload/index.cjs');

registerAppScheme();

/** Asks before closing over unsaved edits; returns whether the window may close. */
async function mayClose(win: BrowserWindow, service: StudioService): Promise<boolean> {
  const dirty = service.dirtyProjects();
  if (!dirty.length) return true;
  const choice = await confirmUnsaved(win, dirty);
  if (choice === 'cancel') return false;
  if (choice === 'discard') return true;
  for (const p of dirty) {
    try {
      await service['project.save']({ project: p.dir });
    } catch (e) {
      await showSaveFailed(win, p.name, e instanceof Error ? e.message : String(e));
      return false;
    }
  }
  return true;
}

async function start(): Promise<{ service: StudioService; window: BrowserWindow }> {
  serveAppProtocol(rendererDir);
  hardenSession();
  const service = new StudioService();
  registerIpc(ipcMain, createDispatcher(service, service.logger), isAppUrl);
  const win = createMainWindow(preload);
  forwardEvents(service, win.webContents);
  installMenu((command) => sendCommand((BrowserWindow.getFocusedWindow() ?? win).webContents, command));

  let closing = false;
  win.on('close', (event) => {
    if (closing) return;
    event.preventDefault();
    void mayClose(win, service).then((ok) => {
      if (!ok) return;
      closing = true;
      win.close();
    });
  });
  // `npm start -- ./shop` reaches us as electron <repo> ./shop: open those folders as web mode does.
  const dirs = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  // `npm start` with no folder passes --sample: the user's copy of the sample project (made on first start)
  const folders = dirs.length || !process.argv.includes('--sample') ? Promise.resolve(dirs) : ensureSampleProject().then((dir) => [dir]);
  void folders.then(
    (list) => {
      for (const dir of list)
        service['project.open']({ dir: resolve(dir) }).catch((e: unknown) => service.logger.warn({ dir }, `cannot open ${dir}: ${e instanceof Error ? e.message : String(e)}`));
    },
    (e: unknown) => service.logger.warn({}, `cannot set up the sample project: ${e instanceof Error ? e.message : String(e)}`),
  );
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => void service.dispose());
  return { service, window: win };
}

/** Settles once the window exists (tests await it with electron mocked). */
export const started = app.whenReady().then(start);
