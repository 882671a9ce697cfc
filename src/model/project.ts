import { z } from 'zod';
import type { Connector } from './connector.js';
import { nameSchema } from './names.js';
import type { Sequence } from './sequence.js';

export const FORMAT_VERSION = 1;

/** trellis.yaml */
export const projectFileSchema = z
  .object({
    name: nameSchema,
    formatVersion: z.number().int().positive(),
    description: z.string().optional(),
    environments: z.record(z.string(), z.record(z.string(), z.string())).optional(),
    /** per-category log levels, e.g. { connector: debug } */
    log: z.record(z.string(), z.string()).optional(),
  })
  .strict();
export type ProjectFile = z.infer<typeof projectFileSchema>;

/** A problem found while reading a project: the project still opens without the broken object. */
export interface Problem {
  file: string; // relative to the project folder, posix separators
  line: number; // 1-based; 0 when the whole file is concerned
  col: number; // 1-based; 0 when unknown
  message: string;
  severity: 'error' | 'warning';
}

export interface Project {
  /** absolute folder path; the project's identity in the studio */
  dir: string;
  name: string;
  formatVersion: number;
  description?: string;
  environments?: Record<string, Record<string, string>>;
  log?: Record<string, string>;
  connectors: Connector[];
  sequences: Sequence[];
}

export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}:${p.col}: ${p.message}`;
}
