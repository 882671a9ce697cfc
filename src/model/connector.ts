import { z } from 'zod';
import { nameSchema } from './names.js';
import { variableSchema } from './variable.js';

/**
 * The kind-independent part of a transaction. Each connector kind validates the rest of the keys
 * with its own `transaction` schema (src/connectors/<kind>.connector.ts).
 */
export const transactionBaseSchema = z.looseObject({
  name: nameSchema,
  type: z.string().optional(),
  description: z.string().optional(),
  exposed: z.boolean().optional(),
  variables: z.array(variableSchema).default([]),
});
export type Transaction = z.infer<typeof transactionBaseSchema>;

export const CONNECTOR_KINDS = ['http', 'soap', 'sql', 'couch'] as const;

export const connectorSchema = z
  .object({
    name: nameSchema,
    kind: z.string().min(1),
    description: z.string().optional(),
    config: z.record(z.string(), z.unknown()).default({}),
    transactions: z.array(transactionBaseSchema).default([]),
  })
  .strict();
export type Connector = z.infer<typeof connectorSchema>;
