import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { methodNames, type StudioCommand } from '../src/contract/index.js';
import type { Dispatcher, DispatchResponse } from '../src/service/dispatch.js';
import type { Disposable, StudioEventListener } from '../src/service/events.js';

export const CHANNEL_PREFIX = 'trellis:';
export const EVENT_CHANNEL = 'trellis:event';

export function channelOf(method: string): string {
  return `${CHANNEL_PREFIX}${method}`;
}

/**
 * One `ipcMain.handle` per contract method, all through the dispatcher: IPC holds no logic. A
 * call from any frame that is not the studio page (an injected iframe, a page navigated to by
 * mistake) is refused.
 */
export function registerIpc(ipcMain: IpcMain, dispatcher: Dispatcher, isTrustedSender: (url: string | undefined) => boolean): Disposable {
  for (const method of methodNames) {
    ipcMain.handle(channelOf(method), async (event: IpcMainInvokeEvent, params: unknown): Promise<DispatchResponse> => {
      const url = event.senderFrame?.url;
      if (!isTrustedSender(url)) return { ok: false, error: { code: 'FORBIDDEN', message: `${method}: calls are accepted only from the studio page, not from ${url || 'an unknown frame'}` } };
      return dispatcher.dispatch(method, params);
    });
  }
  return { dispose: () => methodNames.forEach((m) => ipcMain.removeHandler(channelOf(m))) };
}

/** Sends every service event to a window until it is destroyed. */
export function forwardEvents(source: { onEvent(listener: StudioEventListener): Disposable }, contents: WebContents): Disposable {
  const subscription = source.onEvent((event, payload) => {
    if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, { event, payload });
  });
  contents.once('destroyed', () => subscription.dispose());
  return subscription;
}

export function sendCommand(contents: WebContents, command: StudioCommand): void {
  if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, { event: 'studio.command', payload: { command } });
}
