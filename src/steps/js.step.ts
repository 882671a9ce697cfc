import { z } from 'zod';
import type { StepKind } from './step-kind.js';

const props = z
  .strictObject({
    code: z
      .string()
      .min(1, 'the code is empty')
      .describe('A JavaScript function body: `return` its result. In scope: variables by name and as `variables`, `steps.<id>` outputs, `item` and `index` inside an Iterate, `meta.<id>` of calls, console.log'),
  })
  .describe('JavaScript');
type Props = z.output<typeof props>;

/**
 * JS: a function body run in the QuickJS sandbox (no require, process, fs or network; a time and a memory
 * limit per run). Sources are read-only; the returned value (JSON) is the output.
 */
export const jsStep: StepKind<Props> = {
  kind: 'js',
  title: 'JavaScript',
  category: 'data',
  icon: 'code',
  description:
    'Runs a JavaScript function body in an isolated sandbox and outputs what it returns. Variables, steps.<id> outputs and, inside an Iterate, item and index are in scope, read-only. Each run has a time limit (1 s by default) and a memory limit (32 MB).',
  props,
  container: false,
  script: true,
  runSync(step, ctx) {
    return ctx.script(step.props.code, step);
  },
  async run(step, ctx) {
    return ctx.script(step.props.code, step);
  },
};
