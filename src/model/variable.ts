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
    /** the name on the wire (query/header/cookie/form/body key) when it is not a valid variable name; defaults to `name` */
    wireName: z.string().min(1).optional(),
    /** OpenAPI serialization of arrays and objects: form, simple, label, matrix, spaceDelimited, pipeDelimited, deepObject */
    style: z.string().min(1).optional(),
    /** OpenAPI explode: arrays repeat the parameter (true) or join their values (false) */
    explode: z.boolean().optional(),
    /** query values sent without percent-encoding RFC 3986 reserved characters */
    allowReserved: z.boolean().optional(),
    /** media type of this value when it is a multipart part or a parameter given as `content` */
    contentType: z.string().min(1).optional(),
  })
  .strict();

export type Variable = z.infer<typeof variableSchema>;
