import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { TrellisError } from '../../src/engine/errors.js';
import { maskInputs, SecretMask } from '../../src/engine/mask.js';
import type { Variable } from '../../src/model/index.js';

const vars: Variable[] = [
  { name: 'user', type: 'string' },
  { name: 'pass', type: 'string', secret: true },
  { name: 'pin', type: 'integer', secret: true },
  { name: 'keys', type: 'string', multivalued: true, secret: true },
];

describe('SecretMask', () => {
  const mask = SecretMask.of(vars, { user: 'ann', pass: 'hunter2-long', pin: 123456, keys: ['key-one', 'key-one-two'] });

  it('replaces each secret in text, longest first, numbers and keys included', () => {
    expect(mask.text('login ann:hunter2-long with key-one-two and key-one, pin 123456')).toBe('login ann:*** with *** and ***, pin ***');
    expect(mask.json({ a: ['hunter2-long!'], 'key-one': 123456, n: 7 })).toEqual({ a: ['***!'], '***': '***', n: 7 });
  });

  it('masks errors (message, details, path) without keeping the original as cause', () => {
    const e = mask.error(new TrellisError('BAD', 'bad pass hunter2-long', { path: 'x/hunter2-long', details: [{ v: 'key-one' }] }));
    expect(e.message).toBe('bad pass ***');
    expect(e.path).toBe('x/***');
    expect(e.details).toEqual([{ v: '***' }]);
    expect(e.cause).toBeUndefined();
  });

  it('a logger child hides secrets in the message, the merged object and errors', () => {
    const lines: string[] = [];
    const root = pino({ level: 'trace' }, new Writable({ write: (c, _e, done) => (lines.push(String(c)), done()) }));
    const log = mask.logger(root.child({ category: 'connector' }));
    log.info({ url: '/login?p=hunter2-long', err: new Error('no key-one') }, 'calling with %s', 'hunter2-long');
    log.debug('pin 123456');
    expect(lines.join('')).not.toMatch(/hunter2-long|key-one|123456/);
    expect(lines.join('')).toContain('/login?p=***');
    expect(lines.join('')).toContain('no ***');
    expect(lines).toHaveLength(2);
  });

  it('is free and changes nothing without secrets; short values are not replaced inside text', () => {
    const plain = [{ name: 'a', type: 'string' }] as Variable[];
    expect(SecretMask.of(plain, { a: 'hunter2-long' })).toBe(SecretMask.none);
    const short = SecretMask.of([{ name: 'p', type: 'string', secret: true }], { p: 'ab' });
    expect(short.text('abc ab')).toBe('abc ab');
    expect(maskInputs(vars, { user: 'ann', pass: 'ab' })).toEqual({ user: 'ann', pass: '***' });
    const obj = { x: 1 };
    expect(SecretMask.none.json(obj)).toBe(obj);
  });
});
