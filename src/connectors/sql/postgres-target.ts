import { connect as netConnect } from 'node:net';
import { resolveEnv } from '../../engine/env.js';
import { TrellisError } from '../../engine/errors.js';
import type { DriverOpenOptions } from './driver.js';
import type { PostgresConfig, SSL_MODES } from './postgres.driver.js';

/** Where a PostgreSQL connector connects: the URL and fields resolved, `${env:NAME}` included. */
export interface Target {
  host: string;
  port: number;
  database?: string;
  user?: string;
  password?: string;
  ssl: (typeof SSL_MODES)[number];
}

/** Settings from the URL (with `${env:NAME}` allowed in any part), then the explicit fields, then defaults. */
export function resolveTarget(config: PostgresConfig, env: DriverOpenOptions['env'], where: string): Target {
  let fromUrl: Partial<Target> = {};
  if (config.url) {
    let url: URL;
    try {
      url = new URL(config.url);
    } catch {
      throw new TrellisError('INVALID_CONFIG', `${where}: url is not a valid URL (expected postgres://user:password@host:port/database)`, { path: where });
    }
    if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')
      throw new TrellisError('INVALID_CONFIG', `${where}: url must start with postgres:// (got ${url.protocol}//)`, { path: where });
    const part = (s: string) => (s ? resolveEnv(decodeURIComponent(s), env, where) : undefined);
    const sslmode = url.searchParams.get('sslmode');
    fromUrl = {
      host: part(url.hostname.replace(/^\[|\]$/g, '')),
      port: url.port ? Number(url.port) : undefined,
      database: part(url.pathname.replace(/^\//, '')),
      user: part(url.username),
      password: part(url.password),
      ssl: sslmode === 'require' || sslmode === 'verify-full' ? sslmode : sslmode === 'verify-ca' ? 'verify-full' : sslmode ? 'disable' : undefined,
    };
  }
  const own = resolveEnv({ host: config.host, database: config.database, user: config.user, password: config.password }, env, where);
  return {
    host: own.host ?? fromUrl.host ?? 'localhost',
    port: config.port ?? fromUrl.port ?? 5432,
    database: own.database ?? fromUrl.database,
    user: own.user ?? fromUrl.user,
    password: own.password ?? fromUrl.password,
    ssl: config.ssl ?? fromUrl.ssl ?? 'disable',
  };
}

/** `postgres://user@host:port/db`: never the password. */
export function describeTarget(t: Target): string {
  return `postgres://${t.user ? `${t.user}@` : ''}${t.host.includes(':') ? `[${t.host}]` : t.host}:${t.port}/${t.database ?? ''}`;
}

/** Sends a protocol CancelRequest for a backend (no login needed), like libpq's PQcancel. */
export function sendCancel(target: Target, processID: number, secretKey: number): void {
  const socket = netConnect(target.port, target.host);
  socket.on('error', () => undefined);
  socket.setTimeout(5000, () => socket.destroy());
  socket.on('connect', () => {
    const b = Buffer.allocUnsafe(16);
    b.writeInt32BE(16, 0);
    b.writeInt16BE(1234, 4);
    b.writeInt16BE(5678, 6);
    b.writeInt32BE(processID, 8);
    b.writeInt32BE(secretKey, 12);
    socket.end(b);
  });
}
