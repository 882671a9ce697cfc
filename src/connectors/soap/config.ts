import { z } from 'zod';
import { transactionBaseSchema } from '../../model/connector.js';

/**
 * The zod schemas of a SOAP connector's settings and of its transactions: the single source of defaults,
 * validation and the studio's property forms. docs/wsdl-import.md shows them in a project.
 */

export const SOAP_BINDINGS = ['soap11', 'soap12'] as const;
export type SoapBinding = (typeof SOAP_BINDINGS)[number];

const secret = (what: string) => z.string().describe(`${what}; write a secret as \${env:NAME}`);

export const soapAuthSchema = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('none').describe('No authentication') }).describe('None'),
    z
      .strictObject({
        type: z.literal('basic').describe('HTTP Basic authentication (also sent when the WSDL is fetched over http)'),
        username: z.string().describe('User name'),
        password: secret('Password'),
      })
      .describe('Basic'),
    z
      .strictObject({
        type: z.literal('wsSecurity').describe('WS-Security UsernameToken in the SOAP header'),
        username: z.string().describe('User name'),
        password: secret('Password'),
        passwordType: z.enum(['PasswordText', 'PasswordDigest']).default('PasswordText').describe('PasswordText sends the password; PasswordDigest sends SHA-1(nonce + created + password)'),
        timestamp: z.boolean().default(true).describe('Add a wsu:Timestamp to the security header'),
      })
      .describe('WS-Security UsernameToken'),
  ])
  .default({ type: 'none' })
  .describe('How calls authenticate');

export const soapConfigSchema = z
  .strictObject({
    wsdl: z
      .string()
      .trim()
      .min(1, 'wsdl is required: a WSDL file (relative to the project folder) or an http(s) URL')
      .describe('The WSDL: a file relative to the project folder, an absolute path, or an http(s) URL'),
    service: z.string().min(1).optional().describe('WSDL service to call; defaults to the first one'),
    port: z.string().min(1).optional().describe("WSDL port of the service; defaults to the service's first port"),
    binding: z.enum(SOAP_BINDINGS).default('soap11').describe('SOAP version of the envelope: soap11 (text/xml) or soap12 (application/soap+xml); pick the port that offers it'),
    endpoint: z
      .string()
      .trim()
      .regex(/^https?:\/\/\S+$/i, 'endpoint is an http(s) URL, e.g. http://127.0.0.1:8080/ws/stock')
      .optional()
      .describe("URL the calls go to instead of the port's address in the WSDL"),
    timeoutMs: z.number().int().positive().max(86_400_000).default(30000).describe('Milliseconds to wait for a complete response (and for the WSDL when it is a URL)'),
    auth: soapAuthSchema,
    headers: z.record(z.string(), z.string()).default({}).describe('HTTP headers sent with every call'),
    keepAlive: z.boolean().default(true).describe('Reuse connections between calls'),
  })
  .describe('SOAP connector');

export type SoapConfig = z.infer<typeof soapConfigSchema>;
export type SoapConfigInput = z.input<typeof soapConfigSchema>;

export const SOAP_TRANSACTION_TYPES = ['soap'] as const;

export const soapTransactionSchema = transactionBaseSchema
  .extend({
    type: z.enum(SOAP_TRANSACTION_TYPES).default('soap').describe('A SOAP operation'),
    operation: z.string().min(1, 'operation is required: the WSDL operation to call').describe('WSDL operation name'),
    service: z.string().min(1).optional().describe("WSDL service holding the operation when it is not the connector's"),
    port: z.string().min(1).optional().describe("WSDL port holding the operation when it is not the connector's"),
    arrays: z
      .array(z.string().min(1))
      .optional()
      .describe('Elements of the result that are always arrays, even with one item (the WSDL lets them repeat)'),
    inputSchemas: z
      .record(z.string(), z.record(z.string(), z.unknown()))
      .optional()
      .describe('JSON Schema of each json variable (a complex XML element), by variable name'),
  })
  .describe('SOAP transaction. Variables are the parts of the input message (in: header variables are SOAP header blocks).');

export type SoapTransaction = z.infer<typeof soapTransactionSchema>;
