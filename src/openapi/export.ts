import { effectiveVariables } from '../engine/execute-transaction.js';
import type { Json, Mappings, Project, Variable } from '../model/index.js';
import { mappingOperation, rpcOperations, type OpContext } from './export/operations.js';
import { componentName, ERROR_SCHEMA, readOutputSchemas, type Schema } from './export/schemas.js';

export { readOutputSchemas, type Schema } from './export/schemas.js';

/**
 * OpenAPI 3.1 document of what the runtime serves for a project (docs/runtime.md): every exposed sequence
 * (POST and GET /projects/<p>/sequences/<name>), every exposed transaction, every mapping route. Request
 * parameters and bodies come from the variables' types; results from the stored output schemas
 * (schemas/<owner>.json) when there are some; auth becomes a security scheme.
 */
export interface OpenApiExportInput {
  project: Project;
  mappings?: Mappings;
  /** where the mapping routes are served: '' for the root, else '/shop' */
  mappingBase: string;
  /** stored output schemas by owner (a sequence name or <connector>.<transaction>), see readOutputSchemas */
  schemas?: Record<string, Schema>;
  /** info.version: the bundle version, when the project came from one */
  version?: string;
}

/** The owners whose stored output schemas the document may use. */
export function exportedOwners(project: Project, mappings?: Mappings): string[] {
  const owners = new Set<string>();
  for (const s of project.sequences) owners.add(s.name);
  for (const c of project.connectors) for (const t of c.transactions) owners.add(`${c.name}.${t.name}`);
  for (const r of mappings?.routes ?? []) owners.add('sequence' in r.target ? r.target.sequence : r.target.transaction);
  return [...owners];
}

/** Reads the project's stored schemas and builds the document. */
export async function exportOpenApiFromDisk(input: Omit<OpenApiExportInput, 'schemas'>): Promise<Schema> {
  const schemas = await readOutputSchemas(input.project.dir, exportedOwners(input.project, input.mappings));
  return exportOpenApi({ ...input, schemas });
}

function securitySchemes(project: Project): { name: string; scheme: Schema } | undefined {
  const auth = project.runtime?.auth;
  if (!auth || auth.type === 'none') return undefined;
  if (auth.type === 'apiKey') return { name: 'apiKey', scheme: { type: 'apiKey', in: 'header', name: auth.header } };
  return { name: 'bearer', scheme: { type: 'http', scheme: 'bearer', bearerFormat: `JWT (${auth.algorithm})` } };
}

function targetOf(project: Project, target: { sequence: string } | { transaction: string }): { variables: readonly Variable[]; roles?: string[] } {
  if ('sequence' in target) {
    const s = project.sequences.find((x) => x.name === target.sequence);
    return { variables: s?.variables ?? [], roles: s?.roles };
  }
  const [c, ...rest] = target.transaction.split('.');
  const connector = project.connectors.find((x) => x.name === c);
  const tx = connector?.transactions.find((t) => t.name === rest.join('.'));
  return { variables: connector && tx ? effectiveVariables(connector, tx) : [] };
}

export function exportOpenApi(input: OpenApiExportInput): Schema {
  const { project } = input;
  const stored = input.schemas ?? {};
  const security = securitySchemes(project);
  const ctx: OpContext = { project, schemas: new Set(Object.keys(stored)), security: security?.name, operationIds: new Set() };
  const paths: Record<string, Schema> = {};
  const p = encodeURIComponent(project.name);

  for (const s of project.sequences) {
    if (!s.exposed) continue;
    paths[`/projects/${p}/sequences/${encodeURIComponent(s.name)}`] = rpcOperations(ctx, {
      id: s.name,
      owner: s.name,
      summary: `sequence ${s.name}`,
      description: s.description,
      tag: 'sequences',
      variables: s.variables,
      roles: s.roles,
    });
  }
  for (const c of project.connectors) {
    for (const t of c.transactions) {
      if (!t.exposed) continue;
      paths[`/projects/${p}/transactions/${encodeURIComponent(c.name)}/${encodeURIComponent(t.name)}`] = rpcOperations(ctx, {
        id: `${c.name}_${t.name}`,
        owner: `${c.name}.${t.name}`,
        summary: `transaction ${c.name}.${t.name}`,
        description: t.description,
        tag: 'transactions',
        variables: effectiveVariables(c, t),
      });
    }
  }
  for (const route of input.mappings?.routes ?? []) {
    const path = `${input.mappingBase}${route.path === '/' && input.mappingBase ? '' : route.path}` || '/';
    const { variables, roles } = targetOf(project, route.target);
    paths[path] ??= {};
    paths[path]![route.method.toLowerCase()] = mappingOperation(ctx, route, variables, roles);
  }

  const schemas: Record<string, Json> = { Error: ERROR_SCHEMA };
  for (const [owner, schema] of Object.entries(stored)) schemas[componentName(owner)] = schema;
  const components: Schema = { schemas };
  if (security) components.securitySchemes = { [security.name]: security.scheme };
  const info: Schema = { title: project.name, version: input.version ?? 'dev' };
  if (project.description) info.description = project.description;
  const doc: Schema = {
    openapi: '3.1.0',
    info,
    tags: [
      { name: 'sequences', description: 'exposed sequences: POST a JSON or form body, or GET with query parameters' },
      { name: 'transactions', description: 'exposed transactions' },
      { name: 'mappings', description: 'REST routes of mappings.yaml' },
    ],
    paths,
    components,
  };
  if (security) doc.security = [{ [security.name]: [] }];
  return doc;
}
