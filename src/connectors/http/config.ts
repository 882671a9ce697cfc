import { z } from 'zod';
import { transactionBaseSchema } from '../../model/connector.js';

/**
 * The zod schemas of an HTTP connector's settings and of its transactions. They are the single source of
 * defaults, validation and the studio's property forms (drawn from z.toJSONSchema), so every field carries a
 * description and, where it has one, a default. The keys are a contract (DESIGN.md, connectors/catalog.yaml).
 */

const PROTOCOL = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

const hostSchema = z
  .string()
  .trim()
  .min(1, 'host is required: the server address, e.g. api.example.com or 127.0.0.1:8080')
  .superRefine((host, ctx) => {
    const protocol = PROTOCOL.exec(host);
    if (protocol) {
      const rest = host.slice(protocol[0].length);
      const https = protocol[0].toLowerCase().startsWith('https') ? 'true' : 'false';
      ctx.addIssue({
        code: 'custom',
        message: `host is a server address without protocol: write "${rest.replace(/\/.*$/, '')}" and set https: ${https} instead of "${host}"`,
      });
    } else if (host.includes('/')) {
      const slash = host.indexOf('/');
      ctx.addIssue({
        code: 'custom',
        message: `host holds no path: write "${host.slice(0, slash)}" and put "${host.slice(slash)}" in basePath`,
      });
    } else if (/\s/.test(host)) {
      ctx.addIssue({ code: 'custom', message: `host "${host}" contains spaces` });
    }
  })
  .describe('Server address: a host name or IP, optionally with :port (api.example.com, 127.0.0.1:8080). No protocol: use `https`.');

export const HTTP_AUTH_TYPES = ['none', 'basic', 'bearer', 'apiKey'] as const;

export const httpAuthSchema = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('none').describe('No authentication') }).describe('None'),
    z
      .strictObject({
        type: z.literal('basic').describe('HTTP Basic authentication'),
        username: z.string().describe('User name'),
        password: z.string().describe('Password; write a secret as ${env:NAME}'),
      })
      .describe('Basic'),
    z
      .strictObject({
        type: z.literal('bearer').describe('Bearer token (Authorization: Bearer <token>)'),
        token: z.string().min(1, 'the bearer token is empty').describe('Token; write it as ${env:NAME}'),
      })
      .describe('Bearer token'),
    z
      .strictObject({
        type: z.literal('apiKey').describe('An API key sent in a header or in the query string'),
        name: z.string().min(1, 'the API key needs the header or query parameter name').describe('Header or query parameter name, e.g. X-API-Key'),
        value: z.string().describe('The key; write it as ${env:NAME}'),
        in: z.enum(['header', 'query']).default('header').describe('Where the key goes'),
      })
      .describe('API key'),
  ])
  .default({ type: 'none' })
  .describe('How requests authenticate');

export const httpTlsSchema = z
  .strictObject({
    rejectUnauthorized: z
      .boolean()
      .default(true)
      .describe('Refuse servers whose certificate is not trusted (self-signed, expired, wrong host name). Turn off only for development.'),
    caFile: z
      .string()
      .min(1)
      .optional()
      .describe('PEM file of a certificate authority to trust in addition to the system ones; relative to the project folder or absolute'),
  })
  .prefault({})
  .describe('TLS settings for https');

export const httpConfigSchema = z
  .strictObject({
    host: hostSchema,
    https: z.boolean().default(false).describe('Use https instead of http'),
    port: z.number().int().min(1).max(65535).optional().describe('TCP port; defaults to 80 for http and 443 for https'),
    basePath: z
      .string()
      .refine((p) => !PROTOCOL.test(p) && !p.includes('?'), 'basePath is a path such as /v2, without protocol, host or query')
      .default('')
      .describe('Path prefix of every transaction, e.g. /v2'),
    headers: z.record(z.string(), z.string()).default({}).describe('Headers sent with every request (a transaction may override them)'),
    timeoutMs: z.number().int().positive().max(86_400_000).default(30000).describe('Milliseconds to wait for a complete response'),
    auth: httpAuthSchema,
    tls: httpTlsSchema,
    maxRedirects: z.number().int().min(0).max(100).default(5).describe('Redirects followed before giving up; 0 returns the 3xx response itself'),
    keepAlive: z.boolean().default(true).describe('Reuse connections between requests'),
    maxResponseBytes: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Largest response body accepted, in bytes after decompression; no limit when absent'),
  })
  .superRefine((config, ctx) => {
    const m = /:(\d+)$/.exec(config.host);
    if (m && config.port !== undefined && Number(m[1]) !== config.port && !config.host.endsWith(']')) {
      ctx.addIssue({ code: 'custom', path: ['port'], message: `port ${config.port} disagrees with host "${config.host}"; keep one of them` });
    }
  })
  .describe('HTTP connector');

export type HttpConfig = z.infer<typeof httpConfigSchema>;
export type HttpConfigInput = z.input<typeof httpConfigSchema>;
export type HttpAuth = z.infer<typeof httpAuthSchema>;

export const HTTP_TRANSACTION_TYPES = ['json', 'xml', 'text', 'binary'] as const;
export type HttpTransactionType = (typeof HTTP_TRANSACTION_TYPES)[number];

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export const httpTransactionSchema = transactionBaseSchema
  .extend({
    type: z
      .enum(HTTP_TRANSACTION_TYPES)
      .default('json')
      .describe('How the response is read: json (parsed), xml (converted to JSON, raw XML kept), text (a string), binary (base64)'),
    method: z.enum(HTTP_METHODS).default('GET').describe('HTTP method'),
    path: z
      .string()
      .default('')
      .describe('Path relative to the connector basePath; {name} is replaced by the URL-encoded value of variable name, e.g. /users/{id}'),
    headers: z
      .record(z.string(), z.string())
      .default({})
      .describe('Request headers; values may hold {name} placeholders replaced by variable values'),
    body: z
      .string()
      .optional()
      .describe(
        'Request body template. {name} is replaced by the value of variable name: JSON-encoded (JSON.stringify) in a JSON body, XML-escaped in an XML body, as is otherwise. Without a template, in: body variables are sent as one JSON object and in: form variables as a form.',
      ),
    contentType: z
      .string()
      .optional()
      .describe(
        'Content-Type of the request body; defaults from the body kind and the transaction type. multipart/form-data sends the in: form variables as a multipart body (file variables as file parts).',
      ),
    summary: z.string().optional().describe('One-line summary (the OpenAPI operation summary)'),
    tags: z.array(z.string()).optional().describe('Groups this transaction belongs to (the OpenAPI operation tags)'),
    deprecated: z.boolean().optional().describe('The API marks this operation deprecated; it still executes'),
    removed: z
      .boolean()
      .optional()
      .describe(
        'Set by an OpenAPI re-import when the description no longer has this operation. A removed transaction does not execute: delete it, or clear this mark to keep it.',
      ),
  })
  .describe('HTTP transaction');

export type HttpTransaction = z.infer<typeof httpTransactionSchema>;
