import { z } from 'zod';
import { jsonSchema } from './json.js';
import { nameSchema } from './names.js';

export const VARIABLE_TYPES = ['string', 'integer', 'number', 'boolean', 'json', 'file'] as const;
export type VariableType = (typeof VARIABLE_TYPES)[number];

/** Where an HTTP transaction puts a variable; other connector kinds ignore it. */
export const VARIABLE_LOCATIONS = ['path', 'query', 'header', 'cookie', 'body', 'form'] as const;

export const variableSchema = z
  .object({
    name: nameSchema,
    type: z.enum(VARIABLE_TYPES).default('string'),
    required: z.boolean().optional(),
    default: jsonSchema.optional(),
    multivalued: z.boolean().optional(),
    secret: z.boolean().optional(),
    description: z.string().optional(),
    enum: z.array(jsonSchema).optional(),
    in: z.enum(VARIABLE_LOCATIONS).optional(),
    format: z.string().optional(),
  })
  .strict();

export type Variable = z.infer<typeof variableSchema>;
