import { z } from 'zod';
import type { KindInfo, StepKindInfo } from '../contract/index.js';
import { connectorKinds } from '../connectors/index.js';
import { variableSchema } from '../model/index.js';
import { stepKinds } from '../steps/index.js';

/**
 * JSON Schema of what a person types (`io: 'input'`: defaults make fields optional), so the property
 * editor draws the same form the YAML accepts. Refinements have no JSON Schema form and become
 * `{}` instead of failing; the engine still checks them on every edit.
 */
export function toFormSchema(schema: z.ZodType): Record<string, unknown> {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

let cached: { connectors: KindInfo[]; variableSchema: Record<string, unknown> } | undefined;

/** Kinds are fixed for the life of the process, so their schemas are converted once. */
export function listKinds(): { connectors: KindInfo[]; variableSchema: Record<string, unknown> } {
  cached ??= {
    connectors: connectorKinds().map((k) => ({
      kind: k.kind,
      title: k.title,
      description: k.description,
      transactionTypes: [...k.transactionTypes],
      configSchema: toFormSchema(k.config),
      transactionSchema: toFormSchema(k.transaction),
    })),
    variableSchema: toFormSchema(variableSchema),
  };
  return cached;
}

let steps: StepKindInfo[] | undefined;

/** Step kinds for the palette, in registry order, with the JSON Schema of their props (converted once). */
export function listStepKinds(): StepKindInfo[] {
  steps ??= stepKinds().map((k) => ({
    kind: k.kind,
    title: k.title,
    category: k.category,
    icon: k.icon,
    description: k.description,
    container: k.container,
    propsSchema: toFormSchema(k.props),
  }));
  return steps;
}
