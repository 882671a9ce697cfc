import { z } from 'zod';
import type { Connector } from './connector.js';
import { nameSchema } from './names.js';
import type { Sequence } from './sequence.js';

export const FORMAT_VERSION = 1;

/** `${env:NAME}` and nothing else: secrets are resolved at run time, never stored in the project. */
export const ENV_REF_PATTERN = /^\$\{env:[A-Za-z_][A-Za-z0-9_]*\}$/;
const envRef = (what: string) => z.string().regex(ENV_REF_PATTERN, `write ${what} as \${env:NAME}: secrets stay out of the project files`);
const roleList = z.array(z.string().min(1));

/** How the runtime authenticates callers of a project (trellis.yaml `runtime.auth`). */
export const runtimeAuthSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('none') }),
  z.strictObject({
    type: z.literal('apiKey'),
    /** the request header that carries the key */
    header: z.string().min(1).default('X-API-Key'),
    keys: z.array(z.union([envRef('an API key'), z.strictObject({ key: envRef('an API key'), roles: roleList.default([]), /** who calls with this key (owner of FullSync documents it writes) */ user: z.string().min(1).optional() })])).min(1, 'list at least one key'),
  }),
  z.strictObject({
    type: z.literal('jwt'),
    algorithm: z.enum(['HS256', 'RS256']).default('HS256'),
    /** HS256: the shared secret */
    secret: envRef('the JWT secret').optional(),
    /** RS256: a JWKS file (public keys), relative to the project folder or absolute */
    jwks: z.string().min(1).optional(),
    issuer: z.string().min(1).optional(),
    audience: z.string().min(1).optional(),
    /** the claim that lists the caller's roles (an array, or a space-separated string) */
    rolesClaim: z.string().min(1).default('roles'),
  }),
]);
export type RuntimeAuth = z.infer<typeof runtimeAuthSchema>;

/** trellis.yaml `runtime:`: how `trellis serve` runs this project. */
export const runtimeSettingsSchema = z
  .strictObject({
    auth: runtimeAuthSchema.optional(),
    limits: z
      .strictObject({
        /** per-request deadline in milliseconds (default: the server's, 30 s) */
        timeoutMs: z.number().int().positive().optional(),
        /** executions of one sequence (or transaction) at a time; more get 503 (default: the server's) */
        concurrency: z.number().int().positive().optional(),
      })
      .optional(),
    /** serve /projects/<name>/openapi.json and /docs (default true) */
    docs: z.boolean().optional(),
    /** seconds a session lives after its last use (default 1800) */
    sessionTtlSeconds: z.number().int().positive().optional(),
  })
  .superRefine((r, ctx) => {
    const a = r.auth;
    if (a?.type !== 'jwt') return;
    if (a.algorithm === 'HS256' && !a.secret) ctx.addIssue({ code: 'custom', path: ['auth', 'secret'], message: 'HS256 needs secret: ${env:NAME}' });
    if (a.algorithm === 'RS256' && !a.jwks) ctx.addIssue({ code: 'custom', path: ['auth', 'jwks'], message: 'RS256 needs jwks: the path of a JWKS file' });
  });
export type RuntimeSettings = z.infer<typeof runtimeSettingsSchema>;

/** trellis.yaml */
export const projectFileSchema = z
  .object({
    name: nameSchema,
    formatVersion: z.number().int().positive(),
    description: z.string().optional(),
    environments: z.record(z.string(), z.record(z.string(), z.string())).optional(),
    /** per-category log levels, e.g. { connector: debug } */
    log: z.record(z.string(), z.string()).optional(),
    /** how the runtime serves the project: auth, limits (see docs/runtime.md) */
    runtime: runtimeSettingsSchema.optional(),
  })
  .strict();
export type ProjectFile = z.infer<typeof projectFileSchema>;

/** A problem found while reading a project: the project still opens without the broken object. */
export interface Problem {
  file: string; // relative to the project folder, posix separators
  line: number; // 1-based; 0 when the whole file is concerned
  col: number; // 1-based; 0 when unknown
  message: string;
  severity: 'error' | 'warning';
}

export interface Project {
  /** absolute folder path; the project's identity in the studio */
  dir: string;
  name: string;
  formatVersion: number;
  description?: string;
  environments?: Record<string, Record<string, string>>;
  log?: Record<string, string>;
  runtime?: RuntimeSettings;
  connectors: Connector[];
  sequences: Sequence[];
}

export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}:${p.col}: ${p.message}`;
}
