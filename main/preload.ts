import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ContractError } from '../src/contract/index.js';

// Duplicated from ipc.ts/window.ts on purpose: a sandboxed preload is one bundle that can require only `electron`.
const CHANNEL_PREFIX = 'trellis:';
const EVENT_CHANNEL = 'trellis:event';
const METHODS_ARGUMENT = '--trellis-methods=';

type CallResponse = { ok: true; result: unknown } | { ok: false; error: ContractError };

const methods = new Set(
  (process.argv.find((a) => a.startsWith(METHODS_ARGUMENT)) ?? METHODS_ARGUMENT)
    .slice(METHODS_ARGUMENT.length)
    .split(',')
    .filter(Boolean),
);

/** The whole surface the page gets: call a contract method, listen to contract events. Nothing of ipcRenderer leaks. */
contextBridge.exposeInMainWorld('trellis', {
  call(method: unknown, params: unknown): Promise<CallResponse> {
    if (typeof method !== 'string' || !methods.has(method)) {
      return Promise.resolve({ ok: false, error: { code: 'UNKNOWN_METHOD', message: `unknown method "${String(method)}"` } });
    }
    return ipcRenderer.invoke(`${CHANNEL_PREFIX}${method}`, params) as Promise<CallResponse>;
  },
  on(listener: (event: string, payload: unknown) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('trellis.on expects a function');
    const handler = (_e: IpcRendererEvent, message: { event: string; payload: unknown }) => listener(message.event, message.payload);
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => void ipcRenderer.removeListener(EVENT_CHANNEL, handler);
  },
});
