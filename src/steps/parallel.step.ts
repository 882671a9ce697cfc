import { z } from 'zod';
import { FLOW_NONE, type Flow, type StepKind } from './step-kind.js';

const props = z
  .strictObject({
    limit: z.number().int().min(0).default(0).describe('How many branches run at once; 0 runs them all together'),
  })
  .describe('Parallel');
type Props = z.output<typeof props>;

/**
 * Parallel: each child is a branch; branches overlap while they wait (calls, sleeps). Branches cannot read
 * each other's outputs; steps after the Parallel read them all. A JSON builder enclosing the Parallel
 * receives values in the order branches finish. The first error fails the step once running branches end
 * (branches not yet started are skipped).
 */
export const parallelStep: StepKind<Props> = {
  kind: 'parallel',
  title: 'Parallel',
  category: 'flow',
  icon: 'parallel',
  description:
    'Runs each child step as a concurrent branch (up to `limit` at a time), and ends when all have ended. To run several steps in order within one branch, group them in a container such as a Try.',
  props,
  container: true,
  concurrent: true,
  async run(step, ctx) {
    const branches = step.children;
    const limit = step.props.limit > 0 ? Math.min(step.props.limit, branches.length) : branches.length;
    let next = 0;
    let failed = false;
    let error: unknown;
    let flow: Flow = FLOW_NONE;
    const worker = async () => {
      while (!failed && next < branches.length) {
        const branch = ctx.fork();
        try {
          await branch.runSteps([branches[next++]!]);
        } catch (e) {
          if (!failed) {
            failed = true;
            error = e;
          }
          return;
        }
        if (branch.flow > flow) flow = branch.flow; // a return in any branch returns
      }
    };
    await Promise.all(Array.from({ length: limit }, worker));
    if (failed) throw error;
    ctx.flow = flow;
    return undefined;
  },
};
