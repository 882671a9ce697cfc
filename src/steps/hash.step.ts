import { createHash, createHmac } from 'node:crypto';
import { z } from 'zod';
import { ENV_REF_PATTERN } from '../model/project.js';
import { anyValue, dyn } from './props.js';
import type { StepKind } from './step-kind.js';

const props = z
  .strictObject({
    value: anyValue().describe('What to hash: a text as is, anything else as its JSON'),
    algorithm: z.enum(['sha256', 'sha512', 'sha1', 'md5']).default('sha256').describe('sha256 or sha512 for anything new; sha1 and md5 only for old protocols'),
    key: dyn(z.string().regex(ENV_REF_PATTERN, 'write the HMAC key as ${env:NAME}: secrets stay out of the project files'), 'an HMAC key')
      .optional()
      .describe('An HMAC key: ${env:NAME} (set in the environment or .env), or a source / expression giving it at run time; the output is then an HMAC'),
    encoding: z.enum(['hex', 'base64', 'base64url']).default('hex').describe('How the digest is written'),
  })
  .describe('Hash');
type Props = z.output<typeof props>;

/** Hash: a digest or an HMAC of a value; an HMAC key never sits in the project (only ${env:NAME}). */
export const hashStep: StepKind<Props> = {
  kind: 'hash',
  title: 'Hash',
  category: 'misc',
  icon: 'hash',
  description: 'Computes a digest (sha256, sha512, sha1, md5) of a value, or an HMAC with a key given as ${env:NAME}. Texts are hashed as UTF-8, other values as their JSON. Its output is the digest text.',
  props,
  container: false,
  runSync(step, ctx) {
    const p = step.props;
    const v = ctx.value(p.value);
    const data = typeof v === 'string' ? v : JSON.stringify(v ?? null);
    let h;
    if (p.key === undefined) h = createHash(p.algorithm);
    else {
      const key = ctx.value(p.key);
      if (typeof key !== 'string' || key === '') throw ctx.error('BAD_VARIABLE', `the HMAC key must be a non-empty text, got ${key === null ? 'null' : typeof key}`);
      h = createHmac(p.algorithm, ctx.secret(key, `step ${step.path}: key`));
    }
    return h.update(data, 'utf8').digest(p.encoding);
  },
  async run(step, ctx) {
    return this.runSync!(step, ctx);
  },
  outputSchema: () => ({ type: 'string' }),
};
