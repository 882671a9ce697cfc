import { z } from 'zod';
import { anyValue } from './props.js';
import type { StepKind } from './step-kind.js';

const props = z
  .strictObject({
    name: z.string().min(1).regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'a header name holds letters, digits and !#$%&\'*+.^_`|~- only').describe('The header name (any case): Accept-Language, X-Tenant…'),
    default: anyValue().optional().describe('The output when the request has no such header (and in the studio, which has no request)'),
  })
  .describe('Get Request Header');
type Props = z.output<typeof props>;

/** Get Request Header: a header of the HTTP request an exposed sequence is serving. */
export const getRequestHeaderStep: StepKind<Props> = {
  kind: 'getRequestHeader',
  title: 'Get Request Header',
  category: 'misc',
  icon: 'request',
  description: 'Reads a header of the HTTP request that called the sequence (repeated headers joined by ", "). Its output is the text, else `default`, else null.',
  props,
  container: false,
  runSync(step, ctx) {
    const v = ctx.io.request?.headers[step.props.name.toLowerCase()];
    if (v !== undefined) return Array.isArray(v) ? v.join(', ') : v;
    return step.props.default === undefined ? null : (ctx.value(step.props.default) ?? null);
  },
  async run(step, ctx) {
    return this.runSync!(step, ctx);
  },
  outputSchema: () => ({ type: ['string', 'null'] }),
};
