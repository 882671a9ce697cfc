import { z } from 'zod';
import { anyValue, dyn } from './props.js';
import type { StepKind } from './step-kind.js';

const props = z
  .strictObject({
    level: z.enum(['trace', 'debug', 'info', 'warn', 'error']).default('info').describe('Log level'),
    category: z.string().min(1).default('sequence').describe('Your category, to filter these logs (written as `logCategory`)'),
    message: dyn(z.string(), 'a message').describe('The message: text, a source, or an expression such as {js: "`got ${steps.list.length} items`"}'),
    data: anyValue().optional().describe('Structured data logged beside the message'),
  })
  .describe('Log');
type Props = z.output<typeof props>;

/**
 * Log: the developer's own logs. The message is a property value like any other (no template syntax of
 * its own): a JavaScript template literal does the formatting when one is needed.
 */
export const logStep: StepKind<Props> = {
  kind: 'log',
  title: 'Log',
  category: 'misc',
  icon: 'log',
  description: 'Writes a log line (pino JSON) with the sequence, the step path, your category and optional data. Its output is the message.',
  props,
  container: false,
  runSync(step, ctx) {
    const p = step.props;
    const m = ctx.value(p.message);
    const message = typeof m === 'string' ? m : JSON.stringify(m ?? null);
    const data = p.data === undefined ? undefined : ctx.value(p.data);
    ctx.logger[p.level]({ sequence: ctx.sequence.name, step: step.path, logCategory: p.category, ...(data === undefined ? {} : { data }) }, message);
    return message;
  },
  async run(step, ctx) {
    return this.runSync!(step, ctx);
  },
  outputSchema: () => ({ type: 'string' }),
};
