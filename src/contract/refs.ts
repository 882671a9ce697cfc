import { z } from 'zod';

/** Addresses one object inside a project; the studio's selection and every edit use it. */
export const objectRefSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('project') }),
  z.object({ type: z.literal('connector'), connector: z.string() }),
  z.object({ type: z.literal('transaction'), connector: z.string(), transaction: z.string() }),
  z.object({ type: z.literal('variable'), connector: z.string(), transaction: z.string(), variable: z.string() }),
  z.object({ type: z.literal('sequence'), sequence: z.string() }),
  z.object({ type: z.literal('sequenceVariable'), sequence: z.string(), variable: z.string() }),
  z.object({ type: z.literal('step'), sequence: z.string(), step: z.string() }),
]);
export type ObjectRef = z.infer<typeof objectRefSchema>;
export type ObjectType = ObjectRef['type'];

/** A readable path for messages and the status bar: `shop/connectors/catalog/getProduct`. */
export function refPath(projectName: string, ref: ObjectRef): string {
  switch (ref.type) {
    case 'project':
      return projectName;
    case 'connector':
      return `${projectName}/connectors/${ref.connector}`;
    case 'transaction':
      return `${projectName}/connectors/${ref.connector}/${ref.transaction}`;
    case 'variable':
      return `${projectName}/connectors/${ref.connector}/${ref.transaction}/${ref.variable}`;
    case 'sequence':
      return `${projectName}/sequences/${ref.sequence}`;
    case 'sequenceVariable':
      return `${projectName}/sequences/${ref.sequence}/variables/${ref.variable}`;
    case 'step':
      return `${projectName}/sequences/${ref.sequence}/${ref.step}`;
  }
}

/** The name an object carries in its ref (a step's id); undefined for the project, which the ref does not name. */
export function refObjectName(ref: ObjectRef): string | undefined {
  switch (ref.type) {
    case 'project':
      return undefined;
    case 'connector':
      return ref.connector;
    case 'transaction':
      return ref.transaction;
    case 'variable':
    case 'sequenceVariable':
      return ref.variable;
    case 'sequence':
      return ref.sequence;
    case 'step':
      return ref.step;
  }
}
