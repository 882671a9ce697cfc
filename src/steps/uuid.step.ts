import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { StepKind } from './step-kind.js';

const props = z.strictObject({}).describe('UUID');
type Props = z.output<typeof props>;

export const uuidStep: StepKind<Props> = {
  kind: 'uuid',
  title: 'UUID',
  category: 'misc',
  icon: 'id',
  description: 'Makes a random UUID (version 4), e.g. an id for a new record. Its output is the UUID text.',
  props,
  container: false,
  runSync: () => randomUUID(),
  async run() {
    return randomUUID();
  },
  outputSchema: () => ({ type: 'string', format: 'uuid' }),
};
