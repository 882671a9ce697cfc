import { z } from 'zod';
import type { StepKind } from './step-kind.js';

const props = z.strictObject({ text: z.string().default('').describe('The note') }).describe('Comment');

export const commentStep: StepKind<z.output<typeof props>> = {
  kind: 'comment',
  title: 'Comment',
  category: 'misc',
  icon: 'comment',
  description: 'A note on the canvas; does nothing when the sequence runs.',
  props,
  container: false,
  runSync: () => undefined,
  run: async () => undefined,
};
