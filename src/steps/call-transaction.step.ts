import { z } from 'zod';
import { effectiveVariables, findTransaction, transactionVariables } from '../engine/execute-transaction.js';
import type { Variable } from '../model/index.js';
import { callVariables, unknownVariables } from './calls.js';
import { callVariables as variablesProp } from './props.js';
import type { StepKind } from './step-kind.js';

const props = z
  .strictObject({
    transaction: z
      .string()
      .regex(/^[^.]+\..+$/, 'write the transaction as <connector>.<transaction>')
      .describe('The transaction to call: <connector>.<transaction>'),
    variables: variablesProp(),
    inheritVariables: z.boolean().default(false).describe("Also pass this sequence's variables whose names the transaction declares (mapped variables win)"),
    failOnErrorStatus: z.boolean().default(true).describe('Fail the step (error BACKEND_STATUS) when the response status is not 2xx'),
  })
  .describe('Call Transaction');
type Props = z.output<typeof props>;

/**
 * Call Transaction. Its output is the response data (`TxResult.data`), so `{from: product, path: "$.name"}`
 * reads a field; when the data came from XML, the XML is kept too and sources may use XPath. The status,
 * headers and time are its meta: `{from: product, meta: true, path: "$.status"}` or `meta.product.status` in
 * JavaScript; they stay readable (from a Catch) when the step failed on its status.
 */
export const callTransactionStep: StepKind<Props> = {
  kind: 'callTransaction',
  title: 'Call Transaction',
  category: 'call',
  icon: 'call',
  description:
    'Calls a transaction of this project with variables mapped from sources, expressions or constants. Its output is the response data; a non-2xx status fails the step unless failOnErrorStatus is off.',
  props,
  container: false,
  metaSchema: {
    type: 'object',
    properties: {
      status: { type: 'integer' },
      statusText: { type: 'string' },
      headers: { type: 'object', additionalProperties: { type: 'string' } },
      ms: { type: 'number' },
      bytes: { type: 'integer' },
      contentType: { type: 'string' },
      url: { type: 'string' },
      method: { type: 'string' },
    },
    required: ['ms'],
  },
  async run(step, ctx) {
    const p = step.props;
    const declared = (): readonly Variable[] => transactionVariables(ctx.project, p.transaction);
    const vars = callVariables(ctx, p.variables, p.inheritVariables, declared);
    const result = await ctx.callTransaction(step, p.transaction, vars);
    const status = result.meta.status;
    if (p.failOnErrorStatus && status !== undefined && (status < 200 || status > 299)) {
      const text = result.meta.statusText ? ` ${result.meta.statusText}` : '';
      throw ctx.error('BACKEND_STATUS', `${p.transaction} answered ${status}${text} (failOnErrorStatus is on)`, { status, data: result.data });
    }
    return result.data;
  },
  check(step, ctx) {
    try {
      const { connector, transaction } = findTransaction(ctx.project, step.raw.transaction);
      return unknownVariables(step.raw.variables as Record<string, unknown>, effectiveVariables(connector, transaction), step.raw.transaction);
    } catch (e) {
      return [`props.transaction: ${(e as Error).message}`];
    }
  },
  outputSchema: (step, derive) => derive.transaction(step.raw.transaction),
  refersTo: { prop: 'transaction', owner: 'transaction' },
};
