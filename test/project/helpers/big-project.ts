import type { Project } from '../../../src/model/index.js';

export const TRANSACTIONS = 500;

/**
 * A project whose one connector has TRANSACTIONS transactions, all stamped with `iteration`. The
 * description lengths change with the iteration too, so a file mixing two saves could not pass
 * for either.
 */
export function bigProject(dir: string, iteration: string): Project {
  const salt = [...iteration].reduce((sum, ch) => sum * 31 + ch.charCodeAt(0), 0) % 97;
  return {
    dir,
    name: 'killed',
    formatVersion: 1,
    sequences: [],
    connectors: [
      {
        name: 'big',
        kind: 'http',
        config: { host: 'api.example.com', iteration },
        transactions: Array.from({ length: TRANSACTIONS }, (_, i) => ({
          name: `tx${i}`,
          description: `iteration ${iteration} ${'x'.repeat(200 + ((salt + i) % 40))}`,
          variables: [],
        })),
      },
    ],
  };
}
