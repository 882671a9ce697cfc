import { TrellisError } from '../engine/errors.js';
import type { Connector, Mappings, Project, Sequence } from '../model/index.js';
import { routeShape } from '../project/mappings.js';
import type { CrudPlan, CrudSchemaFile } from './crud.js';

/**
 * Puts a CRUD plan into a project without touching what is there: a transaction, sequence or route that already
 * exists under the same name (or route shape) is kept as the developer left it and reported as skipped, so
 * generating again never clobbers edits. Pure: the callers write the result.
 */

export interface CrudApplied {
  project: Project;
  /** the connector with the new transactions (the same object when none was added) */
  connector: Connector;
  /** sequences added (to write) */
  newSequences: Sequence[];
  mappings: Mappings;
  /** whether mappings gained routes */
  mappingsChanged: boolean;
  /** schemas of the objects created (the caller keeps an existing file) */
  schemas: CrudSchemaFile[];
  /** `transaction chinook.Track.list`, `sequence Track.list`, `route GET /Track` */
  created: string[];
  skipped: string[];
}

export function applyCrud(project: Project, connectorName: string, mappings: Mappings | undefined, plan: CrudPlan): CrudApplied {
  const existing = project.connectors.find((c) => c.name === connectorName);
  if (!existing) throw new TrellisError('NOT_FOUND', `project ${project.name} has no connector "${connectorName}"`);
  const created: string[] = [];
  const skipped: string[] = [];
  const createdOwners = new Set<string>();

  const txNames = new Set(existing.transactions.map((t) => t.name));
  const newTransactions = plan.transactions.filter((t) => {
    const label = `transaction ${connectorName}.${t.name}`;
    if (txNames.has(t.name)) return skipped.push(`${label} (exists)`), false;
    created.push(label);
    createdOwners.add(`${connectorName}.${t.name}`);
    return true;
  });

  const seqNames = new Set(project.sequences.map((s) => s.name));
  const newSequences = plan.sequences.filter((s) => {
    const label = `sequence ${s.name}`;
    if (seqNames.has(s.name)) return skipped.push(`${label} (exists)`), false;
    created.push(label);
    createdOwners.add(s.name);
    return true;
  });

  const routes = mappings?.routes ?? [];
  const shapes = new Set(routes.map((r) => routeShape(r.method, r.path)));
  const newRoutes = plan.routes.filter((r) => {
    const label = `route ${r.method} ${r.path}`;
    if (shapes.has(routeShape(r.method, r.path))) return skipped.push(`${label} (a route of that shape exists)`), false;
    created.push(label);
    return true;
  });

  const connector = newTransactions.length ? { ...existing, transactions: [...existing.transactions, ...newTransactions] } : existing;
  const next: Project = {
    ...project,
    connectors: project.connectors.map((c) => (c === existing ? connector : c)),
    sequences: newSequences.length ? [...project.sequences, ...newSequences] : project.sequences,
  };
  return {
    project: next,
    connector,
    newSequences,
    mappings: { ...(mappings ?? {}), routes: [...routes, ...newRoutes] },
    mappingsChanged: newRoutes.length > 0,
    schemas: plan.schemas.filter((s) => createdOwners.has(s.owner)),
    created,
    skipped,
  };
}
