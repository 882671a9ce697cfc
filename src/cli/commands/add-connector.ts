import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadProject, saveConnector } from '../../project/index.js';
import { connectorKind, connectorKinds } from '../../connectors/index.js';
import { TrellisError } from '../../engine/errors.js';
import { nameSchema } from '../../model/index.js';
import { processIo } from '../io.js';
import { failWith } from './fail.js';
import { parseRestAddress } from './new.js';
import { buildCouchConfig, couchSummary } from './add-couch-connector.js';

export interface AddConnectorOptions {
  kind: string;
  // sql
  driver?: string;
  file?: string;
  readonly?: boolean;
  url?: string;
  database?: string;
  user?: string;
  passwordEnv?: string;
  ssl?: string;
  // http and postgres
  host?: string;
  port?: string;
  // http
  https?: boolean;
  basePath?: string;
  // couch
  fullsync?: boolean;
  anonymous?: boolean;
}

const ENV_REF = /^\$\{env:[A-Za-z_][A-Za-z0-9_]*\}$/;

function port(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new TrellisError('INVALID_CONFIG', `--port "${text}" is not a port number (1-65535)`);
  return n;
}

/** Refuses a connection URL that carries a literal password: project files hold no secrets. */
function checkUrl(url: string): void {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/@]*)@/i.exec(url);
  const userinfo = m?.[1];
  if (!userinfo || !userinfo.includes(':')) return;
  const password = userinfo.slice(userinfo.indexOf(':') + 1);
  if (password && !ENV_REF.test(password))
    throw new TrellisError('INVALID_CONFIG', "--url holds a password; project files hold no secrets: write it as ${env:NAME} (e.g. 'postgres://app:${env:PG_PASSWORD}@host/db') and set NAME in the environment or the project's .env");
}

/** The connector settings the options describe (only what was given: the kind's defaults fill the rest). */
export function buildConnectorConfig(name: string, opts: AddConnectorOptions): Record<string, unknown> {
  if (opts.kind === 'couch') return buildCouchConfig(name, opts);
  for (const flag of ['fullsync', 'anonymous'] as const) if (opts[flag]) throw new TrellisError('INVALID_CONFIG', `--${flag} is for couch connectors (--kind couch)`);
  if (opts.kind === 'sql') {
    for (const flag of ['https', 'basePath'] as const) if (opts[flag] !== undefined && opts[flag] !== false) throw new TrellisError('INVALID_CONFIG', `--${flag === 'basePath' ? 'base-path' : flag} is for HTTP connectors`);
    const driver = opts.driver ?? 'sqlite';
    if (driver === 'sqlite') {
      for (const [flag, v] of [['url', opts.url], ['host', opts.host], ['port', opts.port], ['database', opts.database], ['user', opts.user], ['password-env', opts.passwordEnv], ['ssl', opts.ssl]] as const)
        if (v !== undefined) throw new TrellisError('INVALID_CONFIG', `--${flag} is for --driver postgres; SQLite takes --file (and --readonly)`);
      return { driver, file: opts.file ?? `data/${name}.db`, ...(opts.readonly ? { readonly: true } : {}) };
    }
    if (driver === 'postgres') {
      if (opts.file !== undefined || opts.readonly) throw new TrellisError('INVALID_CONFIG', '--file and --readonly are for --driver sqlite; PostgreSQL takes --url or --host/--port/--database/--user');
      if (opts.url) checkUrl(opts.url);
      if (opts.passwordEnv !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(opts.passwordEnv)) throw new TrellisError('INVALID_CONFIG', `--password-env "${opts.passwordEnv}" is not an environment variable name`);
      return {
        driver,
        ...(opts.url ? { url: opts.url } : {}),
        ...(opts.host ? { host: opts.host } : {}),
        ...(opts.port ? { port: port(opts.port) } : {}),
        ...(opts.database ? { database: opts.database } : {}),
        ...(opts.user ? { user: opts.user } : {}),
        ...(opts.passwordEnv ? { password: `\${env:${opts.passwordEnv}}` } : {}),
        ...(opts.ssl ? { ssl: opts.ssl } : {}),
      };
    }
    throw new TrellisError('INVALID_CONFIG', `--driver "${driver}": use sqlite or postgres`);
  }
  if (opts.kind === 'http') {
    for (const [flag, v] of [['driver', opts.driver], ['file', opts.file], ['url', opts.url], ['database', opts.database], ['user', opts.user], ['password-env', opts.passwordEnv], ['ssl', opts.ssl]] as const)
      if (v !== undefined) throw new TrellisError('INVALID_CONFIG', `--${flag} is for SQL${['url', 'database', 'user', 'password-env'].includes(flag) ? ' and couch' : ''} connectors`);
    if (!opts.host) throw new TrellisError('INVALID_CONFIG', '--host is required for an HTTP connector (a server address without protocol, e.g. api.example.com)');
    const address = parseRestAddress(opts.host);
    const p = port(opts.port) ?? address.port;
    const basePath = (opts.basePath ?? address.basePath).replace(/\/+$/, '');
    return { host: address.host, https: opts.https ?? false, ...(p !== undefined ? { port: p } : {}), basePath };
  }
  return {};
}

export function registerAddConnector(add: Command): void {
  add
    .command('connector <dir> <name>')
    .description('add a connector to a project: --kind sql --driver sqlite|postgres, --kind http --host ..., or --kind couch [--url ...] [--fullsync]')
    .requiredOption('--kind <kind>', 'connector kind: sql, http or couch')
    .option('--driver <driver>', 'sql: sqlite (default) or postgres')
    .option('--file <path>', 'sql/sqlite: database file relative to the project, or :memory: (default data/<name>.db)')
    .option('--readonly', 'sql/sqlite: open the database read-only')
    .option('--url <url>', "sql/postgres: postgres://user:${env:PG_PASSWORD}@host:5432/db (quote it: 'postgres://…'); couch: a CouchDB server http[s]://host:5984 (absent: the embedded store)")
    .option('--database <name>', 'sql/postgres: database name; couch: database name (default: the connector name, lowercased)')
    .option('--user <name>', 'sql/postgres and couch: user name')
    .option('--password-env <NAME>', 'sql/postgres and couch: environment variable holding the password (written as ${env:NAME})')
    .option('--fullsync', 'couch: serve the database at /fullsync/<project>/<database> for PouchDB replication')
    .option('--anonymous', 'couch with --fullsync: allow anonymous replication of that database')
    .option('--ssl <mode>', 'sql/postgres: disable | require | verify-full')
    .option('--host <host>', 'http: server address without protocol (host[:port][/basePath]); sql/postgres: server host')
    .option('--port <port>', 'http and sql/postgres: server port')
    .option('--https', 'http: use https')
    .option('--base-path <path>', 'http: path prefix of every transaction, e.g. /v2')
    .action(async (dir: string, name: string, opts: AddConnectorOptions) => {
      try {
        const folder = resolve(dir);
        if (!nameSchema.safeParse(name).success) throw new TrellisError('INVALID_CONFIG', `"${name}" is not a valid connector name (letters, digits, _ . -; starting with a letter or _)`);
        const kind = connectorKind(opts.kind);
        if (!kind) throw new TrellisError('INVALID_CONFIG', `--kind "${opts.kind}": unknown connector kind (kinds: ${connectorKinds().map((k) => k.kind).join(', ')})`);
        const { project } = await loadProject(folder);
        if (project.connectors.some((c) => c.name === name)) throw new TrellisError('INVALID_PROJECT', `project ${project.name} already has a connector "${name}"`);
        const config = buildConnectorConfig(name, opts);
        const parsed = kind.config.safeParse(config);
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          throw new TrellisError('INVALID_CONFIG', `connector ${name}: ${issue.path.join('.') || 'config'}: ${issue.message}`);
        }
        await saveConnector(folder, { name, kind: kind.kind, config, transactions: [] });
        const summary =
          kind.kind === 'sql'
            ? config.driver === 'sqlite'
              ? `sqlite: ${String(config.file)}${config.readonly ? ', read-only' : ''}`
              : `postgres: ${config.url ? String(config.url) : `${String(config.host ?? 'localhost')}:${String(config.port ?? 5432)}/${String(config.database ?? '')}`}`
            : kind.kind === 'http'
              ? `${config.https ? 'https' : 'http'}://${String(config.host)}${config.port ? `:${String(config.port)}` : ''}${String(config.basePath ?? '')}`
              : kind.kind === 'couch'
                ? couchSummary(config)
                : kind.title;
        const absent = kind.kind === 'sql' && config.driver === 'sqlite' && config.file !== ':memory:' && !existsSync(resolve(folder, String(config.file)));
        processIo.out(`added connector ${name} (${kind.kind}, ${summary})${absent ? `; ${String(config.file)} does not exist yet: it is created when the connector first runs` : ''}`);
      } catch (e) {
        failWith(e);
      }
    });
}
