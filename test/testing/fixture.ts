import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { send, sendJson, startServer, type TestServer } from '../helpers/http-server.js';

/**
 * A real backend and a project that calls it, for the test-case, stub, masking and history tests:
 *   api.getItem   GET /items/{id}                  → { id, name: "item <id>", tags: [] }   (404 for id 404)
 *   api.secure    GET /secure?token={token}       token is a secret variable; the server echoes it in its error
 *   itemCard      a sequence calling api.getItem and building { title, id }
 */
export interface Fixture {
  server: TestServer;
  dir: string;
}

export async function startBackend(): Promise<TestServer> {
  return startServer({
    '/items/404': (_req, res) => sendJson(res, 404, { error: 'no item 404' }),
    '/items/slow': (_req, res) => void setTimeout(() => sendJson(res, 200, { id: 0, name: 'slow', tags: [] }), 300),
    '*': (req, res) => {
      const m = /^\/items\/(\d+)$/.exec(req.path);
      if (m) return sendJson(res, 200, { id: Number(m[1]), name: `item ${m[1]}`, tags: [] });
      if (req.path === '/secure') {
        const token = req.query.get('token') ?? '';
        if (token === 'open-sesame-42') return sendJson(res, 200, { ok: true, who: 'admin' });
        return send(res, 500, `refused token ${token}`, { 'content-type': 'text/plain' });
      }
      return send(res, 404, 'no such thing');
    },
  });
}

export async function writeProject(server: TestServer, files: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'trellis-tests-'));
  const [host, port] = server.host.split(':');
  const all: Record<string, string> = {
    'trellis.yaml': 'name: shop\nformatVersion: 1\n',
    'connectors/api.yaml': [
      'name: api',
      'kind: http',
      'config:',
      `  host: ${host}`,
      `  port: ${port}`,
      'transactions:',
      '  - name: getItem',
      '    type: json',
      '    method: GET',
      '    path: /items/{id}',
      '    variables:',
      '      - { name: id, type: string, required: true }',
      '  - name: secure',
      '    type: json',
      '    method: GET',
      '    path: /secure',
      '    variables:',
      '      - { name: token, type: string, required: true, secret: true, in: query }',
      '',
    ].join('\n'),
    'sequences/itemCard.yaml': [
      'name: itemCard',
      'variables:',
      '  - { name: id, type: string, default: "7" }',
      'steps:',
      '  - id: item',
      '    kind: callTransaction',
      '    props:',
      '      transaction: api.getItem',
      '      variables:',
      '        id: { source: { from: variables, path: $.id } }',
      "  - id: card",
      '    kind: jsonObject',
      '    steps:',
      '      - { id: title, kind: jsonValue, props: { key: title, value: { source: { from: item, path: "$.name" } } } }',
      '      - { id: num, kind: jsonValue, props: { key: id, value: { source: { from: item, path: "$.id" } } } }',
      '  - id: out',
      '    kind: output',
      '    props: { value: { source: { from: card, path: "$" } } }',
      '',
    ].join('\n'),
    ...files,
  };
  for (const [rel, text] of Object.entries(all)) {
    await mkdir(join(dir, rel, '..'), { recursive: true });
    await writeFile(join(dir, rel), text);
  }
  return dir;
}

/** The example file, against api.getItem. */
export const ITEM_TESTS = `target: api.getItem
cases:
  - name: item seven
    variables: { id: 7 }
    stubs: false
    expect:
      status: 200
      maxMs: 20000
      assertions:
        - { path: "$.name", equals: "item 7" }
        - { path: "$.name", matches: "^item [0-9]+$" }
        - { path: "$.id", exists: true }
        - { path: "$.tags", length: 0 }
  - name: missing item
    variables: { id: 404 }
    expect:
      status: 404
      assertions:
        - { path: "$.error", equals: "no item 404" }
`;
