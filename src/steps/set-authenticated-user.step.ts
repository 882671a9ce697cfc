import { z } from 'zod';
import type { Json } from '../model/index.js';
import { SESSION_USER_KEY, type SessionUser } from './io.js';
import { anyValue, dyn } from './props.js';
import type { StepKind } from './step-kind.js';

const props = z
  .strictObject({
    name: dyn(z.string().min(1), 'a user name').describe('Who the client is from now on (e.g. the login checked by a Call Transaction)'),
    roles: anyValue().optional().describe('Their roles (an array of texts): sequences that declare roles accept them'),
    attributes: z.record(z.string(), anyValue()).optional().describe('More about the user (e-mail, display name…)'),
  })
  .describe('Set Authenticated User');
type Props = z.output<typeof props>;

/**
 * Set Authenticated User: the session's client is now this user. The runtime then treats the caller as
 * authenticated with these roles for the sequences of this project that declare roles (session-based login).
 */
export const setAuthenticatedUserStep: StepKind<Props> = {
  kind: 'setAuthenticatedUser',
  title: 'Set Authenticated User',
  category: 'session',
  icon: 'user',
  description:
    "Marks the session's client as authenticated as a user with roles (a login sequence): later calls of stateful sequences in this project that declare roles accept those roles. Its output is the user {name, roles, …}.",
  props,
  container: false,
  runSync(step, ctx) {
    const p = step.props;
    const name = ctx.value(p.name);
    if (typeof name !== 'string' || !name) throw ctx.error('BAD_VARIABLE', `name must be a non-empty text, got ${JSON.stringify(name)}`);
    const r = p.roles === undefined ? [] : ctx.value(p.roles);
    const roles = r === null || r === undefined ? [] : Array.isArray(r) ? r : [r];
    if (!roles.every((x): x is string => typeof x === 'string')) throw ctx.error('BAD_VARIABLE', `roles must be an array of texts, got ${JSON.stringify(r)}`);
    const user: SessionUser = { name, roles };
    const attributes = (ctx.value(p.attributes) ?? {}) as Record<string, Json>; // a constant object holding sources resolves as a whole
    for (const [k, v] of Object.entries(attributes)) if (k !== 'name' && k !== 'roles') user[k] = v ?? null;
    ctx.sessionData()[SESSION_USER_KEY] = user as unknown as Json;
    return user as unknown as Json;
  },
  async run(step, ctx) {
    return this.runSync!(step, ctx);
  },
  outputSchema: () => ({ type: 'object', properties: { name: { type: 'string' }, roles: { type: 'array', items: { type: 'string' } } }, required: ['name', 'roles'] }),
};
