import { z } from 'zod';
import { importWarningSchema } from './dto-sequences.js';

/** SOAP versions a WSDL binding may speak; the connector's `binding` setting. */
export const soapVersionSchema = z.enum(['soap11', 'soap12']);

/** What `wsdl.preview` says an import would do (the same policy as openapi.preview: nothing is changed). */
export const wsdlPreviewSchema = z.object({
  /** the connector the import would create or update */
  connector: z.string(),
  exists: z.boolean(),
  /** the definitions' name */
  title: z.string().optional(),
  targetNamespace: z.string().optional(),
  /** documents read: the entry and every wsdl:import / xsd:import / xsd:include reached */
  files: z.number(),
  /** every SOAP port of every service, to choose the service and the SOAP version from */
  ports: z.array(z.object({ service: z.string(), port: z.string(), binding: soapVersionSchema, address: z.string().optional() })),
  /** what the connector would use */
  service: z.string().optional(),
  port: z.string().optional(),
  binding: soapVersionSchema,
  /** SOAP versions the chosen service is offered over (two: the person may choose) */
  bindings: z.array(soapVersionSchema),
  operations: z.array(
    z.object({
      /** transaction name */
      name: z.string(),
      /** the port type operation */
      operation: z.string(),
      portType: z.string(),
      bindings: z.array(soapVersionSchema),
      style: z.enum(['document', 'rpc']),
      oneWay: z.boolean(),
      description: z.string().optional(),
      change: z.enum(['added', 'updated', 'unchanged']).optional(),
    }),
  ),
  removed: z.array(z.string()),
  skipped: z.array(z.object({ operation: z.string(), reason: z.string() })),
  warnings: z.array(importWarningSchema.extend({ line: z.number().optional() })),
});
export type WsdlPreview = z.infer<typeof wsdlPreviewSchema>;

const source = {
  source: z.string().min(1).describe('the WSDL: a file path (relative to the project folder) or an http(s) URL'),
  connector: z.string().optional(),
  service: z.string().optional().describe('the service to use when the WSDL has several (default: the one with the most operations)'),
  binding: soapVersionSchema.optional().describe('SOAP 1.1 or 1.2 when the service offers both (default: soap11)'),
  taskId: z.string().optional(),
};

export const wsdlPreviewParamsSchema = z.object(source);
export const wsdlImportParamsSchema = z.object({ ...source, operations: z.array(z.string()).optional().describe('transaction or operation names; default: all') });
