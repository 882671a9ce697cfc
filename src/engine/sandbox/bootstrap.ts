/**
 * Code run once in each fresh sandbox context. It receives two host functions and returns the entry
 * points the engine calls. Data crosses the boundary only as JSON text and only when code reads it:
 * `steps`, `variables` and `meta` are read-only views that ask the host for one entry at a time and cache
 * it until the engine says it changed (so a 50 MB response nobody reads is never copied in). Values are
 * deep-frozen: code returns new values instead of changing sources (use a Set Variable step to keep one).
 */
export const BOOTSTRAP = String.raw`(function (host, log) {
  'use strict';
  const cache = new Map();
  const freeze = (v) => {
    if (v !== null && typeof v === 'object') {
      Object.freeze(v);
      if (Array.isArray(v)) for (let i = 0; i < v.length; i++) freeze(v[i]);
      else for (const k in v) freeze(v[k]);
    }
    return v;
  };
  const read = (key) => {
    if (cache.has(key)) return cache.get(key);
    const text = host(key);
    const value = text === undefined ? undefined : freeze(JSON.parse(text));
    cache.set(key, value);
    return value;
  };
  const view = (prefix, listKey) => new Proxy(Object.create(null), {
    get: (_, name) => (typeof name === 'string' ? read(prefix + name) : undefined),
    has: (_, name) => typeof name === 'string' && read(prefix + name) !== undefined,
    ownKeys: () => JSON.parse(host(listKey)),
    getOwnPropertyDescriptor: (_, name) => {
      const value = typeof name === 'string' ? read(prefix + name) : undefined;
      return value === undefined ? undefined : { value, enumerable: true, configurable: true, writable: false };
    },
    set: () => false,
    defineProperty: () => false,
    deleteProperty: () => false,
  });
  const constant = (name, value) => Object.defineProperty(globalThis, name, { value, enumerable: false, configurable: false, writable: false });
  const getter = (name, get) => Object.defineProperty(globalThis, name, { get, enumerable: false, configurable: true });
  constant('steps', view('s', 'S'));
  constant('variables', view('v', 'V'));
  constant('meta', view('m', 'M'));
  getter('item', () => read('i'));
  getter('index', () => read('x'));
  getter('session', () => read('e'));
  const text = (args) => args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
  constant('console', Object.freeze({
    log: (...a) => log('info', text(a)),
    info: (...a) => log('info', text(a)),
    debug: (...a) => log('debug', text(a)),
    warn: (...a) => log('warn', text(a)),
    error: (...a) => log('error', text(a)),
  }));
  return {
    run: (fn) => {
      const result = fn();
      return result === undefined ? undefined : JSON.stringify(result);
    },
    drop: (keys) => {
      for (const k of JSON.parse(keys)) cache.delete(k);
    },
    variable: (name) => {
      if (!(name in globalThis)) getter(name, () => read('v' + name));
    },
  };
})`;
