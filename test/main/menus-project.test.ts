import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => {
  const { electronMock } = await import('./electron-mock.js');
  return electronMock().module;
});

const { menuTemplate } = await import('../../main/menus.js');

describe('main/menus.ts: the Project menu', () => {
  it('sends exportBundle and deployToServer, which the renderer runs like its own menu items', () => {
    const run = vi.fn();
    const project = menuTemplate(run, 'linux').find((m: any) => m.label === '&Project') as any;
    expect(project.submenu.map((i: any) => i.label)).toEqual(['Export Bundle…', 'Deploy to Server…']);
    project.submenu[0].click();
    expect(run).toHaveBeenLastCalledWith('exportBundle');
    project.submenu[1].click();
    expect(run).toHaveBeenLastCalledWith('deployToServer');
  });
});
