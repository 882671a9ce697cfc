import type { Connector } from '../model/index.js';
import { connectorKind, type ConnectorHandle } from '../connectors/index.js';
import type { Env } from './env.js';
import { TrellisError } from './errors.js';
import type { Logger } from './logger.js';

interface Entry {
  key: string;
  handle: Promise<ConnectorHandle>;
}

// Connector objects are replaced, never mutated, when edited: their settings are serialized once, not per call.
const keys = new WeakMap<Connector, string>();
function settingsKey(connector: Connector): string {
  let key = keys.get(connector);
  if (key === undefined) {
    key = JSON.stringify([connector.kind, connector.config]);
    keys.set(connector, key);
  }
  return key;
}

/**
 * Open connector handles (agents, pools, clients), reused across executions and re-opened when a
 * connector's settings change. The owner (studio session, runtime, CLI run) disposes it.
 */
export class ConnectionPool {
  private readonly entries = new Map<string, Entry>();

  async get(projectDir: string, connector: Connector, env: Env, logger: Logger): Promise<ConnectorHandle> {
    const id = `${projectDir}\u0000${connector.name}`;
    const key = settingsKey(connector);
    const existing = this.entries.get(id);
    if (existing && existing.key === key) return existing.handle;
    if (existing) {
      this.entries.delete(id);
      void existing.handle.then((h) => h.close()).catch(() => undefined);
    }
    const kind = connectorKind(connector.kind);
    if (!kind) throw new TrellisError('INVALID_CONFIG', `connector ${connector.name}: unknown kind "${connector.kind}"`, { path: `connectors/${connector.name}` });
    const parsed = kind.config.safeParse(connector.config);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new TrellisError('INVALID_CONFIG', `connector ${connector.name}: config.${issue.path.join('.')}: ${issue.message}`, { path: `connectors/${connector.name}`, details: parsed.error.issues });
    }
    const handle = kind.open(parsed.data, env, { projectDir, logger, name: connector.name });
    this.entries.set(id, { key, handle });
    handle.catch(() => {
      if (this.entries.get(id)?.handle === handle) this.entries.delete(id);
    });
    return handle;
  }

  async dispose(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.allSettled(all.map(async (e) => (await e.handle).close()));
  }
}
