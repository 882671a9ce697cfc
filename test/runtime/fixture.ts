import { send, sendJson, startServer, type TestServer } from '../helpers/http-server.js';
import { writeProject } from './helpers.js';

/**
 * The upstream every runtime test calls (a real HTTP server on 127.0.0.1) and a `shop` project whose sequences
 * call it: plain JSON, a hang, a reset mid-body, a 500, a refused port, a slow answer.
 */
export async function startUpstream(): Promise<TestServer> {
  return startServer({
    '*': (req, res, raw) => {
      const user = /^\/users\/(\d+)$/.exec(req.path);
      if (user) return sendJson(res, 200, { id: Number(user[1]), name: `user ${user[1]}`, email: `u${user[1]}@example.com`, tags: req.query.getAll('tag') });
      if (req.path === '/hang') return; // never answers
      if (req.path === '/reset') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': 1000 });
        res.write('{"partial": "');
        setTimeout(() => raw.socket.destroy(), 20);
        return;
      }
      if (req.path === '/boom') return sendJson(res, 500, { error: 'database is down' });
      if (req.path === '/slow') return void setTimeout(() => sendJson(res, 200, { slow: true, n: Number(req.query.get('n') ?? 0) }), 300);
      if (req.path === '/missing') return sendJson(res, 404, { error: 'no such thing' });
      send(res, 404, 'no route');
    },
  });
}

const src = (from: string, path: string) => ({ source: { from, path } });
const call = (id: string, transaction: string, variables: Record<string, unknown> = {}) => ({ id, kind: 'callTransaction', props: { transaction, variables } });

export function shopFiles(upstreamHost: string, name = 'shop'): Record<string, unknown> {
  const tx = (n: string, path: string, extra: Record<string, unknown> = {}) => ({ name: n, method: 'GET', path, ...extra });
  return {
    'trellis.yaml': { name, formatVersion: 1, description: 'runtime test project' },
    'connectors/crm.yaml': {
      name: 'crm',
      kind: 'http',
      config: { host: upstreamHost },
      transactions: [
        tx('getUser', '/users/{id}', { exposed: true, variables: [{ name: 'id', type: 'integer', required: true }, { name: 'tag', type: 'string', multivalued: true, in: 'query' }] }),
        tx('hang', '/hang'),
        tx('reset', '/reset'),
        tx('boom', '/boom', { exposed: true }),
        tx('slow', '/slow', { variables: [{ name: 'n', type: 'integer', in: 'query' }] }),
        tx('hidden', '/users/1'),
      ],
    },
    'connectors/dead.yaml': { name: 'dead', kind: 'http', config: { host: '127.0.0.1:1' }, transactions: [tx('ping', '/ping')] },
    'sequences/userCard.yaml': {
      name: 'userCard',
      description: 'a user as a card',
      variables: [
        { name: 'id', type: 'integer', required: true },
        { name: 'tag', type: 'string', multivalued: true },
        { name: 'loud', type: 'boolean', default: false },
      ],
      steps: [
        call('user', 'crm.getUser', { id: src('variables', '$.id'), tag: src('variables', '$.tag') }),
        {
          id: 'card',
          kind: 'jsonObject',
          steps: [
            { id: 'n', kind: 'jsonValue', props: { key: 'name', value: src('user', '$.name') } },
            { id: 'e', kind: 'jsonValue', props: { key: 'email', value: src('user', '$.email') } },
            { id: 'i', kind: 'jsonValue', props: { key: 'id', value: src('user', '$.id') } },
            { id: 't', kind: 'jsonValue', props: { key: 'tags', value: src('user', '$.tags') } },
            { id: 'l', kind: 'jsonValue', props: { key: 'loud', value: src('variables', '$.loud') } },
          ],
        },
        { id: 'out', kind: 'output', props: { value: src('card', '$') } },
      ],
    },
    'sequences/hang.yaml': { name: 'hang', steps: [call('c', 'crm.hang')] },
    'sequences/reset.yaml': { name: 'reset', steps: [call('c', 'crm.reset')] },
    'sequences/boom.yaml': { name: 'boom', steps: [call('c', 'crm.boom')] },
    'sequences/refused.yaml': { name: 'refused', steps: [call('c', 'dead.ping')] },
    'sequences/slow.yaml': {
      name: 'slow',
      variables: [{ name: 'n', type: 'integer', default: 0 }],
      steps: [call('c', 'crm.slow', { n: src('variables', '$.n') }), { id: 'out', kind: 'output', props: { value: src('c', '$') } }],
    },
    'sequences/internal.yaml': { name: 'internal', exposed: false, steps: [{ id: 'out', kind: 'output', props: { value: 'secret' } }] },
    'sequences/nothing.yaml': { name: 'nothing', variables: [{ name: 'id', type: 'integer' }], steps: [{ id: 'out', kind: 'output', props: { value: null } }] },
  };
}

export async function writeShop(upstreamHost: string, extra: Record<string, unknown> = {}, name = 'shop'): Promise<string> {
  return writeProject({ ...shopFiles(upstreamHost, name), ...extra });
}
