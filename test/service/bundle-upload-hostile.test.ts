import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { uploadBundle } from '../../src/service/bundle-upload.js';

// Security review of the studio's deploy: whatever the server answers, the studio neither stores it nor falls over.
const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

async function hostile(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('deploy against a hostile server', () => {
  it('stops reading an endless answer and says so (the studio kept it all in memory)', async () => {
    let sent = 0;
    const url = await hostile((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        const pump = () => {
          while (!res.destroyed && sent < 512 * 1024 * 1024) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        pump();
      });
    });
    await expect(uploadBundle({ url, token: 't0ken', bytes: Buffer.from('bundle') })).rejects.toMatchObject({ code: 'BAD_RESPONSE', message: expect.stringContaining('answer is larger than') });
    expect(sent).toBeLessThan(64 * 1024 * 1024);
  }, 60_000);

  it('does not follow a redirect, so the token never goes to another server (sound before the review)', async () => {
    let leaked = '';
    const elsewhere = await hostile((req, res) => {
      leaked = req.headers.authorization ?? '';
      res.end('{}');
    });
    const url = await hostile((req, res) => {
      req.resume();
      res.writeHead(307, { location: `${elsewhere}/admin/bundles` }).end();
    });
    await expect(uploadBundle({ url, token: 't0ken', bytes: Buffer.from('bundle') })).rejects.toMatchObject({ code: 'DEPLOY_FAILED' });
    expect(leaked).toBe('');
  });

  it('a 200 with a body that is not the runtime\'s is a clear error (sound before the review)', async () => {
    const url = await hostile((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"deployed": {"name": 5}}');
    });
    await expect(uploadBundle({ url, token: 't0ken', bytes: Buffer.from('bundle') })).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
  });
});
