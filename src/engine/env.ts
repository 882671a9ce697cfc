import { TrellisError } from './errors.js';

/** Values for `${env:NAME}` references: process environment first, then the project's .env. */
export interface Env {
  get(name: string): string | undefined;
}

const REF = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g;

export function envFrom(...layers: Array<Record<string, string | undefined>>): Env {
  return {
    get(name) {
      for (const layer of layers) {
        const v = layer[name];
        if (v !== undefined) return v;
      }
      return undefined;
    },
  };
}

/** Names referenced as `${env:NAME}` anywhere inside a value. */
export function envNames(value: unknown, into = new Set<string>()): Set<string> {
  if (typeof value === 'string') for (const m of value.matchAll(REF)) into.add(m[1]!);
  else if (Array.isArray(value)) for (const v of value) envNames(v, into);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) envNames(v, into);
  return into;
}

/** Replaces every `${env:NAME}` in strings of `value` (deeply); a missing name is an error naming `where`. */
export function resolveEnv<T>(value: T, env: Env, where: string): T {
  if (typeof value === 'string') {
    return value.replace(REF, (_, name: string) => {
      const v = env.get(name);
      if (v === undefined)
        throw new TrellisError('MISSING_SECRET', `${where}: environment variable ${name} is not set (referenced as \${env:${name}}); set it in the environment or in the project's .env`, { path: where });
      return v;
    }) as T;
  }
  if (Array.isArray(value)) return value.map((v) => resolveEnv(v, env, where)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = resolveEnv(v, env, where);
    return out as T;
  }
  return value;
}

/** Parses a .env file: KEY=value lines, # comments, optional quotes. */
export function parseDotEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let v = m[2]!;
    if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) v = v.slice(1, -1);
    out[m[1]!] = v;
  }
  return out;
}
