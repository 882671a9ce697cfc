import type { Connector, Json } from '../model/index.js';

/**
 * A defect of the spec that the import worked around, or a limit of the mapping worth knowing.
 * `message` is one line that names the place: `<file>#<JSON pointer>: <what> (<rule>)`.
 */
export interface ImportWarning {
  /** stable, machine-readable kind, e.g. `operation-ref`, `duplicate-operation-id` (docs/openapi-import.md lists them) */
  code: string;
  message: string;
  /** spec file, relative to the entry file's folder (the entry itself as given), or a URL */
  file?: string;
  /** JSON pointer inside `file` */
  pointer?: string;
  /** the rule of the standard the spec breaks, when it breaks one */
  rule?: string;
  /** `METHOD /path` of the operation concerned */
  operation?: string;
}

export interface SkippedOperation {
  /** `METHOD /path`, or `/path` for a whole path item */
  operation: string;
  reason: string;
}

export interface OperationInfo {
  name: string;
  method: string;
  path: string;
  tags: string[];
  summary?: string;
  deprecated?: boolean;
}

/** A JSON Schema (draft 2020-12) document. */
export type JsonSchema = { [key: string]: Json };

export interface ImportProgress {
  phase: 'load' | 'map' | 'merge' | 'write';
  done?: number;
  total?: number;
}

export interface ReadOptions {
  signal?: AbortSignal;
  onProgress?: (p: ImportProgress) => void;
  /** name of the connector; by default derived from the spec's `info.title` */
  connectorName?: string;
  /** index into the spec's servers (`ImportPlan.servers`); by default the first (Swagger 2: https when listed) */
  server?: number;
}

/** What a spec maps to, before anything is written. */
export interface ImportPlan {
  connector: Connector;
  /** output schemas by owner `<connector>.<transaction>` */
  schemas: Record<string, JsonSchema>;
  warnings: ImportWarning[];
  skipped: SkippedOperation[];
  operations: OperationInfo[];
  /** the spec's server URLs, variables substituted; `ReadOptions.server` indexes this list */
  servers: string[];
  /** which entry of `servers` the connector uses (-1 when the spec has none) */
  serverIndex: number;
  spec: { title?: string; version?: string; format: 'swagger-2.0' | 'openapi-3.0' | 'openapi-3.1'; declared: string; files: number };
}

export interface ImportOptions extends ReadOptions {
  /** compute the plan and the diff, write nothing */
  dryRun?: boolean;
  /** import only these operations (transaction names or `METHOD /path`); nothing is marked removed then */
  include?: string[];
}

export interface ImportDiff {
  added: string[];
  updated: string[];
  /** transactions newly marked `removed: true` (kept in the file) */
  removed: string[];
  unchanged: number;
  /** connector settings (config keys, description) that changed */
  config: string[];
}

export interface ImportSummary {
  connector: string;
  /** project-relative file of the connector */
  file: string;
  imported: number;
  skipped: SkippedOperation[];
  warnings: ImportWarning[];
  diff: ImportDiff;
  dryRun: boolean;
  /** project-relative files written (empty on a dry run) */
  written: string[];
}
