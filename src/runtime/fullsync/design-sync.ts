import { isCouchHandle } from '../../connectors/couch.connector.js';
import type { Deployment } from '../deployments.js';

/**
 * On deploy, each couch connector's view files (fullsync/<database>/<design>/<view>.js) become design documents
 * in its store: CouchDB runs them for view transactions, and devices receive them by replication. A store that
 * cannot be reached is logged, not fatal: the views are synced again on the next deploy.
 */
export async function syncDesignDocuments(dep: Pick<Deployment, 'project' | 'pool' | 'env' | 'loggers'>): Promise<void> {
  for (const connector of dep.project.connectors) {
    if (connector.kind !== 'couch') continue;
    try {
      const handle = await dep.pool.get(dep.project.dir, connector, dep.env, dep.loggers.connector);
      if (!isCouchHandle(handle)) continue;
      const written = await handle.syncDesignDocuments();
      if (written.length) dep.loggers.connector.info({ connector: connector.name, designs: written }, `connector ${connector.name}: views synced (${written.join(', ')})`);
    } catch (e) {
      dep.loggers.connector.warn({ connector: connector.name, err: (e as Error).message }, `connector ${connector.name}: the views could not be synced to the store: ${(e as Error).message}`);
    }
  }
}
