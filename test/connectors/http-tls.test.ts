import { dirname, basename } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { httpConnector } from '../../src/connectors/http.connector.js';
import { envFrom } from '../../src/engine/env.js';
import { silentLogger } from '../../src/engine/logger.js';
import { selfSignedCert, sendJson, startServer, type SelfSignedCert, type TestServer } from '../helpers/http-server.js';
import { closeAll, failure, openHttp, run, tx } from './http-harness.js';

let cert: SelfSignedCert;
let otherCert: SelfSignedCert;
let server: TestServer;
let mismatched: TestServer;
let plain: TestServer;

beforeAll(async () => {
  cert = selfSignedCert();
  otherCert = selfSignedCert('DNS:other.test');
  const routes = { '/hello': (_req: unknown, res: import('node:http').ServerResponse) => sendJson(res, 200, { secure: true }) };
  server = await startServer(routes, { tls: cert });
  mismatched = await startServer(routes, { tls: otherCert });
  plain = await startServer(routes);
});
afterAll(async () => {
  await Promise.all([server.close(), mismatched.close(), plain.close()]);
  cert.dispose();
  otherCert.dispose();
});
afterEach(closeAll);

describe('TLS', () => {
  it('refuses a self-signed certificate by default, with a hint', async () => {
    const h = await openHttp({ host: server.host, https: true });
    const e = await failure(run(h, tx({ path: '/hello' })));
    expect(e.code).toBe('TLS');
    expect(e.message).toBe(
      `${server.host} presents a self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT) (GET ${server.url}/hello); if you trust it, set tls.caFile to its certificate, or tls.rejectUnauthorized: false for development only`,
    );
  });

  it('accepts it with tls.rejectUnauthorized: false', async () => {
    const h = await openHttp({ host: server.host, https: true, tls: { rejectUnauthorized: false } });
    expect((await run(h, tx({ path: '/hello' }))).data).toEqual({ secure: true });
  });

  it('accepts it with tls.caFile (absolute)', async () => {
    const h = await openHttp({ host: server.host, https: true, tls: { caFile: cert.certFile } });
    expect((await run(h, tx({ path: '/hello' }))).data).toEqual({ secure: true });
  });

  it('resolves a relative tls.caFile against the project folder', async () => {
    const h = await httpConnector.open(
      httpConnector.config.parse({ host: `localhost:${server.port}`, https: true, tls: { caFile: basename(cert.certFile) } }),
      envFrom({}),
      { projectDir: dirname(cert.certFile), logger: silentLogger },
    );
    try {
      expect((await run(h, tx({ path: '/hello' }))).data).toEqual({ secure: true });
    } finally {
      await h.close();
    }
  });

  it('a missing caFile fails at open with INVALID_CONFIG', async () => {
    const e = await failure(openHttp({ host: server.host, https: true, tls: { caFile: '/nonexistent/ca.pem' } }));
    expect(e.code).toBe('INVALID_CONFIG');
    expect(e.message).toBe('http connector: tls.caFile /nonexistent/ca.pem cannot be read (ENOENT)');
  });

  it('a certificate for another host name: TLS with a hint', async () => {
    const h = await openHttp({ host: mismatched.host, https: true, tls: { caFile: otherCert.certFile } });
    const e = await failure(run(h, tx({ path: '/hello' })));
    expect(e.code).toBe('TLS');
    expect(e.message).toMatch(/^the certificate of 127\.0\.0\.1:\d+ does not name this host \(ERR_TLS_CERT_ALTNAME_INVALID: .*\); use a host name the certificate lists/);
  });

  it('https against a plain http server: TLS saying so', async () => {
    const h = await openHttp({ host: plain.host, https: true });
    const e = await failure(run(h, tx({ path: '/hello' })));
    expect(e.code).toBe('TLS');
    expect(e.message).toContain('is the server speaking https on this port?');
  });
});
