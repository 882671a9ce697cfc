import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { StudioCommand } from '../src/contract/index.js';

/**
 * The native menus. Each studio item only sends a `studio.command` event: the renderer runs it
 * exactly like its own shortcut in web mode, so both modes behave the same. Undo/redo go to the
 * renderer too, which decides between text undo (in a field) and model undo.
 */
export function menuTemplate(run: (command: StudioCommand) => void, platform: NodeJS.Platform = process.platform): MenuItemConstructorOptions[] {
  const item = (label: string, accelerator: string, command: StudioCommand): MenuItemConstructorOptions => ({ label, accelerator, click: () => run(command) });
  const mac = platform === 'darwin';
  return [
    ...(mac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        item('New Project…', 'CmdOrCtrl+N', 'newProject'),
        item('Open Project…', 'CmdOrCtrl+O', 'open'),
        item('Go to Object…', 'CmdOrCtrl+P', 'quickOpen'),
        { type: 'separator' },
        item('Save', 'CmdOrCtrl+S', 'save'),
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: '&Edit',
      submenu: [
        item('Undo', 'CmdOrCtrl+Z', 'undo'),
        item('Redo', 'CmdOrCtrl+Shift+Z', 'redo'),
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    {
      label: '&Project',
      submenu: [{ label: 'Export Bundle…', click: () => run('exportBundle') }, { label: 'Deploy to Server…', click: () => run('deployToServer') }],
    },
    {
      label: '&Run',
      submenu: [
        item('Execute', 'F5', 'execute'),
        item('Debug', 'CmdOrCtrl+F5', 'debug'),
        item('Stop', 'Shift+F5', 'stop'),
        { type: 'separator' },
        item('Continue', 'F8', 'continue'),
        item('Step Over', 'F10', 'stepOver'),
        item('Step Into', 'F11', 'stepInto'),
        item('Step Out', 'Shift+F11', 'stepOut'),
        item('Toggle Breakpoint', 'F9', 'toggleBreakpoint'),
      ],
    },
    {
      label: '&View',
      // No reload item: F5 belongs to Execute, and a reload would drop the renderer's state.
      submenu: [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }, { role: 'toggleDevTools' }],
    },
    { role: 'windowMenu' },
  ];
}

export function installMenu(run: (command: StudioCommand) => void): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(run)));
}
