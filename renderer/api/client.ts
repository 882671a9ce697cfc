import { StudioApiError, methodNames } from '../../src/contract/index.js';
import type { ContractError, MethodName, Result, StudioApi } from '../../src/contract/index.js';

export type { StudioApi } from '../../src/contract/index.js';
/** The result of kinds.list: connector kinds with their JSON Schemas. */
export type KindsList = Result<'kinds.list'>;

export type EventListener = (event: string, payload: unknown) => void;
export type StudioMode = 'desktop' | 'web';

/** Pseudo-events the client itself emits (never sent by the engine). */
export const CONNECTION_EVENT = 'studio.connection';
export interface ConnectionPayload {
  connected: boolean;
  /** true when the connection came back after a loss: state should be refetched */
  reconnected: boolean;
}

type CallResponse = { ok: true; result: unknown } | { ok: false; error: ContractError };

/** What Electron's preload exposes (main/preload.ts). */
interface DesktopBridge {
  call(method: string, params: unknown): Promise<CallResponse>;
  on(listener: (event: string, payload: unknown) => void): () => void;
}

export interface StudioClient {
  api: StudioApi;
  onEvent(listener: EventListener): () => void;
  mode: StudioMode;
}

const TOKEN_KEY = 'trellis.token';

function desktopBridge(): DesktopBridge | undefined {
  return (window as unknown as { trellis?: DesktopBridge }).trellis;
}

function unwrap(response: CallResponse): unknown {
  if (response.ok) return response.result;
  throw new StudioApiError(response.error ?? { code: 'UNKNOWN', message: 'the engine returned an error without a message' });
}

/** The web-mode session token: from ?token= in the URL, kept in sessionStorage so a reload keeps it. */
export function webToken(): string {
  const fromUrl = new URLSearchParams(window.location.search).get('token');
  if (fromUrl) {
    try {
      window.sessionStorage.setItem(TOKEN_KEY, fromUrl);
    } catch {}
    return fromUrl;
  }
  try {
    return window.sessionStorage.getItem(TOKEN_KEY) ?? '';
  } catch {
    return '';
  }
}

function buildApi(call: (method: MethodName, params: unknown) => Promise<unknown>): StudioApi {
  const api: Record<string, (params: unknown) => Promise<unknown>> = {};
  for (const name of methodNames) api[name] = (params: unknown) => call(name, params ?? {});
  return api as unknown as StudioApi;
}

class Listeners {
  private readonly set = new Set<EventListener>();
  add(listener: EventListener): () => void {
    this.set.add(listener);
    return () => this.set.delete(listener);
  }
  emit(event: string, payload: unknown): void {
    for (const listener of [...this.set]) {
      try {
        listener(event, payload);
      } catch (e) {
        console.error(`listener of ${event} failed`, e);
      }
    }
  }
}

function createDesktopClient(bridge: DesktopBridge): StudioClient {
  const api = buildApi(async (method, params) => unwrap(await bridge.call(method, params)));
  return { api, mode: 'desktop', onEvent: (listener) => bridge.on(listener) };
}

function createWebClient(): StudioClient {
  const token = webToken();
  const listeners = new Listeners();
  const api = buildApi(async (method, params) => {
    let response: Response;
    try {
      response = await fetch(`/api/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify(params),
      });
    } catch (e) {
      throw new StudioApiError({ code: 'UNREACHABLE', message: `the studio server cannot be reached (${(e as Error).message})` });
    }
    let body: CallResponse;
    try {
      body = (await response.json()) as CallResponse;
    } catch {
      throw new StudioApiError({ code: `HTTP_${response.status}`, message: `${method} failed: HTTP ${response.status} ${response.statusText}` });
    }
    if (response.status === 401 && !body.ok) {
      throw new StudioApiError({ ...body.error, message: `${body.error.message} — open the URL the studio printed (it holds the session token)` });
    }
    return unwrap(body);
  });

  // Events: one WebSocket, reconnected with backoff while the page lives.
  let socket: WebSocket | null = null;
  let attempts = 0;
  let wasConnected = false;
  let connected = false;
  const connect = () => {
    const protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(`${protocol}//${window.location.host}/api/events?token=${encodeURIComponent(token)}`);
    socket = ws;
    ws.onopen = () => {
      attempts = 0;
      connected = true;
      listeners.emit(CONNECTION_EVENT, { connected: true, reconnected: wasConnected } satisfies ConnectionPayload);
      wasConnected = true;
    };
    ws.onmessage = (message) => {
      try {
        const data = JSON.parse(String(message.data)) as { event?: string; payload?: unknown };
        if (typeof data.event === 'string') listeners.emit(data.event, data.payload);
      } catch {}
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      if (connected) listeners.emit(CONNECTION_EVENT, { connected: false, reconnected: false } satisfies ConnectionPayload);
      connected = false;
      const delay = Math.min(5000, 250 * 2 ** attempts++);
      setTimeout(connect, delay);
    };
  };
  connect();
  window.addEventListener('beforeunload', () => {
    const ws = socket;
    socket = null;
    ws?.close();
  });
  const onEvent = (listener: EventListener) => {
    const off = listeners.add(listener);
    // a listener that arrives after the socket opened still learns that it is connected
    if (connected) queueMicrotask(() => listener(CONNECTION_EVENT, { connected: true, reconnected: false } satisfies ConnectionPayload));
    return off;
  };
  return { api, mode: 'web', onEvent };
}

/** The studio API over Electron IPC (window.trellis) or, in a browser, over HTTP + WebSocket. */
export function createStudioApi(): StudioClient {
  const bridge = desktopBridge();
  return bridge ? createDesktopClient(bridge) : createWebClient();
}
