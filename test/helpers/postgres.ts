import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

/**
 * A throwaway PostgreSQL for tests: `TRELLIS_PG_URL` when set (a server where the tests may create databases),
 * else a fresh cluster started from the Debian binaries on 127.0.0.1 and a free port (trust auth, no fsync),
 * removed again by stop(). PostgreSQL refuses to run as root, so as root the cluster runs as the `postgres` user
 * (runuser). When the binaries are missing, `startPostgres` resolves to undefined so tests can skip — except in
 * CI (`CI` set), where a missing PostgreSQL is a failure.
 */

const run = promisify(execFile);

export interface PgServer {
  host: string;
  port: number;
  user: string;
  /** the password of TRELLIS_PG_URL, if it has one (the throwaway cluster trusts local connections) */
  password?: string;
  /** postgres://user@host:port/<database> */
  url(database?: string): string;
  /** runs psql with these arguments against the server (as its superuser) */
  psql(args: string[]): Promise<{ stdout: string; stderr: string }>;
  /** stops the server immediately (for lost-connection tests); stop() after it is fine */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

const PSQL = '/usr/bin/psql';

function findBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl')) && existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  const preferred = versions.includes('15') ? '15' : versions[0];
  return preferred ? join(root, preferred, 'bin') : undefined;
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Why PostgreSQL cannot run here, or undefined when it can. */
export function postgresUnavailable(): string | undefined {
  if (process.env.TRELLIS_PG_URL) return undefined;
  if (!findBinDir()) return 'PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql)';
  if (!existsSync(PSQL)) return `${PSQL} not found (apt-get install postgresql-client)`;
  if (isRoot() && !existsSync('/usr/sbin/runuser') && !existsSync('/sbin/runuser')) return 'running as root and runuser is missing';
  return undefined;
}

/** Starts (or connects to) PostgreSQL; undefined when it is unavailable outside CI. */
export async function startPostgres(): Promise<PgServer | undefined> {
  const external = process.env.TRELLIS_PG_URL;
  if (external) return fromUrl(external);
  const why = postgresUnavailable();
  if (why) {
    if (process.env.CI) throw new Error(`PostgreSQL is required in CI: ${why}`);
    return undefined;
  }
  const bin = findBinDir()!;
  const dir = mkdtempSync(join(tmpdir(), 'trellis-pg-'));
  const data = join(dir, 'data');
  let asUser: (cmd: string, args: string[]) => [string, string[]] = (cmd, args) => [cmd, args];
  if (isRoot()) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
    asUser = (cmd, args) => ['runuser', ['-u', 'postgres', '--', cmd, ...args]];
  }
  const exec = async (cmd: string, args: string[]) => {
    const [c, a] = asUser(join(bin, cmd), args);
    return run(c, a, { env: { ...process.env, LC_ALL: 'C' }, timeout: 60_000 });
  };
  const port = await freePort();
  try {
    await exec('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions']);
    await exec('pg_ctl', [
      '-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60',
      '-o', `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50`,
      'start',
    ]);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`could not start a PostgreSQL cluster: ${(e as Error).message}`, { cause: e });
  }
  let stopped = false;
  const halt = async () => {
    if (stopped) return;
    stopped = true;
    await exec('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
  };
  // a crashed test process must not leave a server behind
  const onExit = () => {
    if (stopped) return;
    try {
      const [c, a] = asUser(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', 'stop']);
      execFileSync(c, a, { stdio: 'ignore' });
    } catch {}
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  const server: PgServer = {
    host: '127.0.0.1',
    port,
    user: 'postgres',
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    psql: (args) => run(PSQL, ['-X', '-q', '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', ...args], { maxBuffer: 64 * 1024 * 1024, timeout: 120_000 }),
    kill: halt,
    async stop() {
      await halt();
      process.off('exit', onExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}

function fromUrl(text: string): PgServer {
  const u = new URL(text);
  const host = u.hostname || '127.0.0.1';
  const port = Number(u.port || 5432);
  const user = decodeURIComponent(u.username || 'postgres');
  const password = decodeURIComponent(u.password);
  return {
    host,
    port,
    user,
    password: password || undefined,
    url: (database = 'postgres') => {
      const v = new URL(text);
      v.pathname = `/${database}`;
      return v.toString();
    },
    psql: (args) =>
      run(PSQL, ['-X', '-q', '-h', host, '-p', String(port), '-U', user, ...args], {
        env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) },
        maxBuffer: 64 * 1024 * 1024,
        timeout: 120_000,
      }),
    kill: async () => {
      throw new Error('cannot stop an external PostgreSQL (TRELLIS_PG_URL)');
    },
    stop: async () => undefined,
  };
}

/** Loads the Chinook sample into the database `chinook` (the script drops and creates it). */
export const CHINOOK_DIR = resolve(import.meta.dirname, '../../../shared/corpus/sql/chinook');

export async function loadChinook(server: PgServer, script = join(CHINOOK_DIR, 'Chinook_PostgreSql.sql')): Promise<void> {
  await server.psql(['-v', 'ON_ERROR_STOP=1', '-d', 'postgres', '-f', script]);
}
