import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { StudioEventListener, Disposable } from '../service/events.js';

export interface EventSource {
  onEvent(listener: StudioEventListener): Disposable;
}

/** Past this many unsent bytes a slow client misses log lines rather than growing the server's memory. */
const LOG_BACKLOG_BYTES = 8 * 1024 * 1024;
const PING_MS = 30_000;

/** Pushes every service event to every connected studio page as `{ event, payload }`. */
export class EventSockets {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  private readonly alive = new WeakMap<WebSocket, boolean>();
  private readonly ping: NodeJS.Timeout;

  constructor(private readonly source: EventSource) {
    this.wss.on('connection', (ws) => this.attach(ws));
    // A page closed without a goodbye (sleep, network loss) is found and dropped by the missing pong.
    this.ping = setInterval(() => {
      for (const ws of this.wss.clients) {
        if (this.alive.get(ws) === false) {
          ws.terminate();
          continue;
        }
        this.alive.set(ws, false);
        ws.ping();
      }
    }, PING_MS);
    this.ping.unref();
  }

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit('connection', ws, req));
  }

  private attach(ws: WebSocket): void {
    this.alive.set(ws, true);
    ws.on('pong', () => this.alive.set(ws, true));
    const subscription = this.source.onEvent((event, payload) => {
      if (ws.readyState !== ws.OPEN) return;
      if (event === 'log.entry' && ws.bufferedAmount > LOG_BACKLOG_BYTES) return;
      ws.send(JSON.stringify({ event, payload }));
    });
    ws.on('close', () => subscription.dispose());
    ws.on('error', () => ws.terminate());
  }

  close(): void {
    clearInterval(this.ping);
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
  }
}
