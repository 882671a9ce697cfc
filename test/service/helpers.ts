import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventName } from '../../src/contract/index.js';
import { StudioService } from '../../src/service/studio-service.js';

export async function tempDir(prefix = 'trellis-studio-'): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export async function backend(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface Recorded {
  name: EventName;
  payload: any;
}

/** A service whose events are recorded, with logs kept quiet. */
export function recordingService(): { service: StudioService; events: Recorded[] } {
  const service = new StudioService({ logSpec: 'silent', watchDebounceMs: 50 });
  const events: Recorded[] = [];
  service.onEvent((name, payload) => events.push({ name, payload }));
  return { service, events };
}

export async function waitFor<T>(check: () => T | undefined | false, timeoutMs = 5000, what = 'condition'): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The first connector's transactions of a state (the contract types them loosely). */
export function txs(state: { project: { connectors: Array<Record<string, unknown>> } }): Array<{ name: string; variables: any[] } & Record<string, unknown>> {
  return state.project.connectors[0]!.transactions as any;
}
