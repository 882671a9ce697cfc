import { z } from 'zod';
import { headerProblem } from './io.js';
import { dyn } from './props.js';
import type { StepKind } from './step-kind.js';
import { textOf } from './xml.js';

const props = z
  .strictObject({
    name: z
      .string()
      .min(1)
      .refine((n) => !headerProblem(n, ''), { error: (i) => headerProblem(String(i.input), '') ?? 'not a header name' })
      .describe('The header name: Cache-Control, Location, X-Total-Count…'),
    value: dyn(z.union([z.string(), z.number(), z.boolean()]), 'a header value').describe('Its value (a number or boolean is written as text)'),
  })
  .describe('Set Response Header');
type Props = z.output<typeof props>;

/** Set Response Header: a header of the runtime's reply (applied when the sequence succeeds). */
export const setResponseHeaderStep: StepKind<Props> = {
  kind: 'setResponseHeader',
  title: 'Set Response Header',
  category: 'misc',
  icon: 'response',
  description:
    'Sets a header of the HTTP reply of an exposed sequence (applied when it succeeds; the last value set wins). Connection-level headers (Connection, Transfer-Encoding, Content-Length…) and values with line breaks are refused. Its output is the value.',
  props,
  container: false,
  runSync(step, ctx) {
    const name = step.props.name;
    const value = textOf(ctx.value(step.props.value));
    const problem = headerProblem(name, value);
    if (problem) throw ctx.error('BAD_VARIABLE', problem);
    const response = ctx.io.response;
    if (response) {
      for (const k of Object.keys(response.headers)) if (k.toLowerCase() === name.toLowerCase()) delete response.headers[k];
      response.headers[name] = value;
    }
    return value;
  },
  async run(step, ctx) {
    return this.runSync!(step, ctx);
  },
  outputSchema: () => ({ type: 'string' }),
};
