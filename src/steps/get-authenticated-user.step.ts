import { z } from 'zod';
import type { Json } from '../model/index.js';
import { sessionUserOf } from './io.js';
import type { StepKind } from './step-kind.js';

const props = z.strictObject({}).describe('Get Authenticated User');
type Props = z.output<typeof props>;

/** Get Authenticated User: the session's user, else the caller the runtime's auth (API key, JWT) identified, else null. */
export const getAuthenticatedUserStep: StepKind<Props> = {
  kind: 'getAuthenticatedUser',
  title: 'Get Authenticated User',
  category: 'session',
  icon: 'user',
  description:
    'Who the client is: the user a Set Authenticated User step put in the session, else the caller identified by the runtime\'s auth (a JWT subject, an API key\'s roles), else null. Its output is {name, roles, source: session|auth} or null.',
  props,
  container: false,
  runSync(_step, ctx) {
    let data: Record<string, Json> | undefined;
    try {
      data = ctx.sessionData();
    } catch {
      data = undefined; // a sequence without a session can still ask who the auth says is calling
    }
    const user = sessionUserOf(data);
    if (user) return { ...user, source: 'session' };
    const caller = ctx.io.caller;
    if (caller?.authenticated) return { name: caller.subject ?? null, roles: [...caller.roles], source: 'auth' };
    return null;
  },
  async run(step, ctx) {
    return this.runSync!(step, ctx);
  },
  outputSchema: () => ({
    anyOf: [{ type: 'null' }, { type: 'object', properties: { name: { type: ['string', 'null'] }, roles: { type: 'array', items: { type: 'string' } }, source: { type: 'string', enum: ['session', 'auth'] } }, required: ['name', 'roles', 'source'] }],
  }),
};
