import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * A throwaway Redis for tests: Debian's /usr/bin/redis-server on 127.0.0.1 and a free port, nothing saved to
 * disk, stopped by stop(). When the binary is missing, `startRedis` resolves to undefined so tests can skip —
 * except in CI (`CI` set), where a missing redis-server is a failure.
 */

export const REDIS_SERVER = process.env.TRELLIS_REDIS_SERVER ?? '/usr/bin/redis-server';

export interface RedisServer {
  port: number;
  /** redis://127.0.0.1:PORT */
  url: string;
  stop(): Promise<void>;
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

export function redisUnavailable(): string | undefined {
  return existsSync(REDIS_SERVER) ? undefined : `${REDIS_SERVER} not found (apt-get install redis-server)`;
}

function ready(child: ChildProcess, port: number): Promise<void> {
  return new Promise((done, fail) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`redis-server did not start on port ${port} within 10 s:\n${output}`)), 10_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/ready to accept connections/i.test(output)) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        done();
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`redis-server exited with ${code}:\n${output}`));
    });
  });
}

export async function startRedis(): Promise<RedisServer | undefined> {
  const why = redisUnavailable();
  if (why) {
    if (process.env.CI) throw new Error(`Redis is required in CI: ${why}`);
    return undefined;
  }
  const port = await freePort();
  const child = spawn(REDIS_SERVER, ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--protected-mode', 'no'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // a crashed test process must not leave a server behind
  const onExit = () => child.kill('SIGKILL');
  process.once('exit', onExit);
  try {
    await ready(child, port);
  } catch (e) {
    child.kill('SIGKILL');
    process.off('exit', onExit);
    throw e;
  }
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      process.off('exit', onExit);
      if (child.exitCode !== null) return;
      await new Promise<void>((done) => {
        child.once('exit', () => done());
        child.kill('SIGTERM');
      });
    },
  };
}
