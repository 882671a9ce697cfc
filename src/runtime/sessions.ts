import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Json } from '../model/index.js';
import { HttpError } from './errors.js';

/**
 * Sessions of stateful sequences: one id per client (cookie trellis_session), the data kept per project in a
 * store. Memory by default; Redis (TRELLIS_SESSION_STORE=redis://...) so several runtime processes behind a
 * load balancer serve one client.
 */

export type SessionData = Record<string, Json>;
/** What the store keeps for a session id: project name → that project's session data. */
export type SessionEntry = Record<string, SessionData>;

export interface SessionStore {
  readonly kind: 'memory' | 'redis';
  get(key: string): Promise<SessionEntry | undefined>;
  set(key: string, data: SessionEntry, ttlSeconds: number): Promise<void>;
  delete(key: string): Promise<void>;
  close(): Promise<void>;
}

export const SESSION_COOKIE = 'trellis_session';
export const DEFAULT_SESSION_TTL_SECONDS = 1800;
const ID = /^[A-Za-z0-9_-]{43}$/;

export function newSessionId(): string {
  return randomBytes(32).toString('base64url');
}

/** One store entry per session; it holds each project's data under the project's name (one cookie serves them all). */
export function sessionKey(id: string): string {
  return `trellis:session:${id}`;
}

/** The session id of a Cookie header, when it is well formed (anything else is ignored: a new session starts). */
export function sessionIdFrom(cookie: string | undefined): string | undefined {
  if (!cookie) return undefined;
  for (const part of cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) {
      const value = part.slice(eq + 1).trim();
      if (ID.test(value)) return value;
    }
  }
  return undefined;
}

export function sessionCookie(id: string, ttlSeconds: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${id}; Path=/; Max-Age=${ttlSeconds}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}

export class MemorySessionStore implements SessionStore {
  readonly kind = 'memory';
  private readonly entries = new Map<string, { data: SessionEntry; expires: number }>();
  private readonly sweeper = setInterval(() => this.sweep(), 60_000).unref();

  async get(key: string): Promise<SessionEntry | undefined> {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expires <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return structuredClone(e.data);
  }

  async set(key: string, data: SessionEntry, ttlSeconds: number): Promise<void> {
    this.entries.set(key, { data: structuredClone(data), expires: Date.now() + ttlSeconds * 1000 });
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  private sweep(): void {
    const now = Date.now();
    for (const [k, e] of this.entries) if (e.expires <= now) this.entries.delete(k);
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.entries.clear();
  }
}

const unavailable = (e: unknown) => new HttpError(503, 'SESSION_STORE_UNAVAILABLE', `the session store cannot be reached (${(e as Error).message})`, { headers: { 'Retry-After': '1' } });

export class RedisSessionStore implements SessionStore {
  readonly kind = 'redis';
  private readonly redis: Redis;

  constructor(url: string) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 2000, enableAutoPipelining: true, lazyConnect: false });
    // errors reach the callers of get/set; the connection retries in the background
    this.redis.on('error', () => undefined);
  }

  async get(key: string): Promise<SessionEntry | undefined> {
    let text: string | null;
    try {
      text = await this.redis.get(key);
    } catch (e) {
      throw unavailable(e);
    }
    if (text === null) return undefined;
    try {
      const value = JSON.parse(text) as unknown;
      return value && typeof value === 'object' && !Array.isArray(value) ? (value as SessionEntry) : undefined;
    } catch {
      return undefined;
    }
  }

  async set(key: string, data: SessionEntry, ttlSeconds: number): Promise<void> {
    try {
      await this.redis.set(key, JSON.stringify(data), 'EX', ttlSeconds);
    } catch (e) {
      throw unavailable(e);
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await this.redis.del(key);
    } catch (e) {
      throw unavailable(e);
    }
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/** Memory unless `url` (TRELLIS_SESSION_STORE) is a redis:// or rediss:// URL. */
export function createSessionStore(url: string | undefined): SessionStore {
  if (!url || url === 'memory') return new MemorySessionStore();
  if (/^rediss?:\/\//.test(url)) return new RedisSessionStore(url);
  throw new Error(`TRELLIS_SESSION_STORE "${url}": expected memory or a redis:// URL`);
}
