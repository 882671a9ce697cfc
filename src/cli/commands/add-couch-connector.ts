import { TrellisError } from '../../engine/errors.js';
import { COUCH_DB_NAME } from '../../connectors/couch/config.js';
import type { AddConnectorOptions } from './add-connector.js';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The connector name as a CouchDB database name: lowercase, only CouchDB's characters, starting with a letter. */
export function couchDatabaseName(name: string): string {
  const lowered = name.toLowerCase().replace(/[^a-z0-9_$()+/-]/g, '_');
  return /^[a-z]/.test(lowered) ? lowered : `db${lowered}`;
}

/** Credentials never go in the URL: the project file would hold them. --user and --password-env say it instead. */
function checkCouchUrl(url: string): void {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/@]*)@/i.exec(url);
  if (!m) return;
  if (m[1]!.includes(':'))
    throw new TrellisError('INVALID_CONFIG', '--url holds a password; project files hold no secrets: give the server URL alone (e.g. http://couch.example.com:5984) with --user NAME and --password-env ENV_NAME (written as ${env:ENV_NAME})');
  throw new TrellisError('INVALID_CONFIG', `--url holds a user name: give the server URL alone and the user with --user ${m[1]!}`);
}

/** The settings of a couch connector from the CLI flags; flags of other kinds are refused by name. */
export function buildCouchConfig(name: string, opts: AddConnectorOptions): Record<string, unknown> {
  const others: [string, unknown, string][] = [
    ['driver', opts.driver, 'SQL'],
    ['file', opts.file, 'SQLite'],
    ['readonly', opts.readonly, 'SQLite'],
    ['ssl', opts.ssl, 'PostgreSQL'],
    ['host', opts.host, 'HTTP and PostgreSQL'],
    ['port', opts.port, 'HTTP and PostgreSQL'],
    ['https', opts.https, 'HTTP'],
    ['base-path', opts.basePath, 'HTTP'],
  ];
  for (const [flag, value, kinds] of others)
    if (value !== undefined && value !== false) throw new TrellisError('INVALID_CONFIG', `--${flag} is for ${kinds} connectors; a couch connector takes --url (a CouchDB server, absent: the embedded store), --database, --user, --password-env, --fullsync and --anonymous`);
  if (opts.url !== undefined) checkCouchUrl(opts.url);
  const database = opts.database ?? couchDatabaseName(name);
  if (!COUCH_DB_NAME.test(database)) throw new TrellisError('INVALID_CONFIG', `--database "${database}": a CouchDB database name is lowercase: a letter, then letters, digits or _$()+/-`);
  if (opts.passwordEnv !== undefined && !ENV_NAME.test(opts.passwordEnv)) throw new TrellisError('INVALID_CONFIG', `--password-env "${opts.passwordEnv}" is not an environment variable name`);
  if ((opts.user !== undefined || opts.passwordEnv !== undefined) && opts.url === undefined)
    throw new TrellisError('INVALID_CONFIG', '--user and --password-env are for a CouchDB server: give its --url too (the embedded store needs no credentials)');
  if (opts.passwordEnv !== undefined && opts.user === undefined) throw new TrellisError('INVALID_CONFIG', '--password-env needs --user (the CouchDB user the password belongs to)');
  if (opts.anonymous && !opts.fullsync) throw new TrellisError('INVALID_CONFIG', '--anonymous allows anonymous replication of a FullSync database: add --fullsync');
  return {
    ...(opts.url !== undefined ? { url: opts.url } : {}),
    database,
    ...(opts.user !== undefined ? { user: opts.user } : {}),
    ...(opts.passwordEnv !== undefined ? { password: `\${env:${opts.passwordEnv}}` } : {}),
    ...(opts.fullsync ? { fullsync: true } : {}),
    ...(opts.anonymous ? { anonymous: true } : {}),
  };
}

/** "couch, embedded store data/fullsync/notes, fullsync" for the CLI's confirmation line. */
export function couchSummary(config: Record<string, unknown>): string {
  const database = String(config.database);
  const where = config.url ? `${String(config.url).replace(/\/+$/, '')}/${database}` : `embedded store data/fullsync/${database}`;
  return `${where}${config.fullsync ? ', fullsync' : ''}${config.anonymous ? ', anonymous replication' : ''}`;
}
