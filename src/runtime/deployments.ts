import type { DestinationStream } from 'pino';
import { openBundle } from '../bundle/index.js';
import { envFrom, envNames, type Env } from '../engine/env.js';
import { TrellisError } from '../engine/errors.js';
import { Logs, type Logger } from '../engine/logger.js';
import { ConnectionPool } from '../engine/pool.js';
import { prepareSequence } from '../engine/sequence/index.js';
import { formatProblem, type Mappings, type Project } from '../model/index.js';
import { exportOpenApiFromDisk, type Schema } from '../openapi/export.js';
import { loadProject, readDotEnv } from '../project/index.js';
import { mappingTargetProblems, readMappings } from '../project/mappings.js';
import { createAuthenticator, type Authenticator } from './auth.js';
import { syncDesignDocuments } from './fullsync/design-sync.js';
import { startListeners } from './fullsync/listeners.js';
import { ConcurrencyLimiter, DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT_MS, Drain } from './limits.js';
import { DEFAULT_SESSION_TTL_SECONDS } from './sessions.js';

/** Server-wide settings a deployment starts from. */
export interface DeploySettings {
  timeoutMs?: number;
  concurrency?: number;
  /** TRELLIS_LOG-style spec; defaults to the environment's */
  logSpec?: string;
  logDestination?: DestinationStream;
  /** values for ${env:NAME}; defaults to process.env (a project folder's .env comes after it) */
  env?: Record<string, string | undefined>;
}

export type DeploySource = { kind: 'folder'; path: string } | { kind: 'bundle'; path: string; bytes?: Buffer };

/** One project as the runtime serves it: model, settings, open connections, and what is running on it. */
export interface Deployment {
  readonly name: string;
  readonly project: Project;
  readonly mappings: Mappings | undefined;
  /** '' when the mapping routes sit at the root, else '/shop' */
  readonly mappingBase: string;
  readonly version: string;
  readonly source: DeploySource;
  readonly deployedAt: string;
  readonly env: Env;
  readonly pool: ConnectionPool;
  readonly auth: Authenticator;
  readonly limiter: ConcurrencyLimiter;
  readonly timeoutMs: number;
  readonly sessionTtlSeconds: number;
  readonly docs: boolean;
  readonly loggers: { sequence: Logger; transaction: Logger; connector: Logger };
  /** the project's log levels, changed at run time by PUT /admin/log-levels */
  readonly logs: Logs;
  readonly drain: Drain;
  /** ${env:NAME} references the environment does not set (calls through those connectors fail) */
  readonly missingEnv: string[];
  /** the OpenAPI 3.1 document of what it serves */
  readonly openapi: Schema;
  /** waits for the requests running on it, then closes its connections and removes its unpacked bundle */
  retire(): Promise<void>;
}

function mappingBaseOf(project: Project, mappings: Mappings | undefined): string {
  const base = mappings?.basePath ?? `/${project.name}`;
  return base === '/' ? '' : base;
}

/** Everything that would make every call fail, found before the first request. */
function refusals(project: Project, mappings: Mappings | undefined, problems: string[]): string[] {
  const out = [...problems];
  if (mappings) out.push(...mappingTargetProblems(project, mappings));
  for (const s of project.sequences) {
    try {
      prepareSequence(project, s);
    } catch (e) {
      out.push((e as Error).message);
    }
  }
  return out;
}

/** Loads a project folder or a bundle, checks it and opens what it needs to serve requests. */
export async function loadDeployment(source: DeploySource, settings: DeploySettings = {}): Promise<Deployment> {
  let dir = source.path;
  let version = 'dev';
  let cleanup = async (): Promise<void> => undefined;
  if (source.kind === 'bundle') {
    const opened = await openBundle(source.bytes ?? source.path, source.bytes ? 'the uploaded bundle' : source.path);
    dir = opened.dir;
    version = opened.manifest.version;
    cleanup = opened.dispose;
  }
  try {
    const { project, problems } = await loadProject(dir);
    const mapped = await readMappings(dir);
    const errors = [...problems, ...mapped.problems].filter((p) => p.severity === 'error').map(formatProblem);
    const refused = refusals(project, mapped.mappings, errors);
    const label = source.kind === 'bundle' ? `bundle ${source.bytes ? project.name : source.path}` : `project ${source.path}`;
    if (refused.length) throw new TrellisError('INVALID_PROJECT', `${label} cannot be served: ${refused.slice(0, 5).join('; ')}${refused.length > 5 ? `; and ${refused.length - 5} more` : ''}`, { details: refused });
    const base = settings.env ?? process.env;
    const env = source.kind === 'folder' ? envFrom(base, await readDotEnv(dir)) : envFrom(base);
    const auth = await createAuthenticator(project, env);
    const logs = new Logs({ project: project.log, spec: settings.logSpec, destination: settings.logDestination });
    const pool = new ConnectionPool();
    const drain = new Drain();
    const mappingBase = mappingBaseOf(project, mapped.mappings);
    const openapi = await exportOpenApiFromDisk({ project, mappings: mapped.mappings, mappingBase, version });
    let retiring: Promise<void> | undefined;
    const limits = project.runtime?.limits;
    const deployment: Deployment = {
      name: project.name,
      project,
      mappings: mapped.mappings,
      mappingBase,
      version,
      source: source.kind === 'bundle' ? { kind: 'bundle', path: source.path } : source,
      deployedAt: new Date().toISOString(),
      env,
      pool,
      auth,
      limiter: new ConcurrencyLimiter(limits?.concurrency ?? settings.concurrency ?? DEFAULT_CONCURRENCY),
      timeoutMs: limits?.timeoutMs ?? settings.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      sessionTtlSeconds: project.runtime?.sessionTtlSeconds ?? DEFAULT_SESSION_TTL_SECONDS,
      docs: project.runtime?.docs ?? true,
      loggers: { sequence: logs.get('sequence'), transaction: logs.get('transaction'), connector: logs.get('connector') },
      logs,
      drain,
      missingEnv: [...envNames(project.connectors.map((c) => c.config))].filter((n) => env.get(n) === undefined).sort(),
      openapi,
      retire: () =>
        (retiring ??= (async () => {
          await listeners.stop();
          await drain.idle();
          await pool.dispose();
          await cleanup();
        })()),
    };
    // FullSync listeners run while the deployment lives (a hot-swap's new one takes over when the old one stops)
    await syncDesignDocuments(deployment);
    const listeners = startListeners(deployment);
    return deployment;
  } catch (e) {
    await cleanup();
    throw e;
  }
}
