import { describe, expect, it } from 'vitest';
import { envFrom, envNames, parseDotEnv, resolveEnv } from '../../src/engine/env.js';
import { parseLogSpec } from '../../src/engine/logger.js';

describe('env references', () => {
  it('resolves ${env:NAME} deeply, the first layer winning', () => {
    const env = envFrom({ TOKEN: 'from-process' }, { TOKEN: 'from-dotenv', USER: 'bob' });
    expect(resolveEnv({ auth: { token: 'Bearer ${env:TOKEN}', users: ['${env:USER}'] }, n: 3 }, env, 'connector api')).toEqual({
      auth: { token: 'Bearer from-process', users: ['bob'] },
      n: 3,
    });
  });

  it('names the missing variable and where it is referenced', () => {
    expect(() => resolveEnv({ password: '${env:DB_PASSWORD}' }, envFrom({}), 'connector db')).toThrow(/connector db: environment variable DB_PASSWORD is not set/);
  });

  it('lists referenced names and parses .env files', () => {
    expect([...envNames({ a: '${env:A} ${env:B}', b: ['${env:A}'] })]).toEqual(['A', 'B']);
    expect(parseDotEnv('# c\nA=1\nexport B="two words"\nC=\'x=y\'\n\nbad line')).toEqual({ A: '1', B: 'two words', C: 'x=y' });
  });
});

describe('TRELLIS_LOG', () => {
  it('parses a default level and per-category levels, reporting unknown levels', () => {
    expect(parseLogSpec('info,connector=debug,cli=loud')).toEqual({
      default: 'info',
      categories: { connector: 'debug' },
      errors: ['TRELLIS_LOG: unknown level "loud" (use one of fatal, error, warn, info, debug, trace, silent)'],
    });
  });
});
