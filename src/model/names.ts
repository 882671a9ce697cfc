import { z } from 'zod';

/** Names of projects, connectors, transactions, sequences and variables: they appear in URLs, file names and sources. */
export const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

export const nameSchema = z
  .string()
  .min(1, 'a name cannot be empty')
  .max(128, 'a name is at most 128 characters')
  .regex(NAME_PATTERN, 'a name starts with a letter or _ and holds only letters, digits, _ . -');

/** Turns any text (an operationId, a path) into a valid name. */
export function toName(text: string, fallback = 'item'): string {
  let name = text
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9_.-]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^[_.-]+|[_.-]+$/g, '');
  if (!name) name = fallback;
  if (!/^[A-Za-z_]/.test(name)) name = `_${name}`;
  return name.slice(0, 128);
}

/** Makes `name` unique among `taken` by appending _2, _3, ... */
export function uniqueName(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name)) return name;
  for (let i = 2; ; i++) {
    const candidate = `${name}_${i}`;
    if (!taken.has(candidate)) return candidate;
  }
}
