import type { z } from 'zod';
import { connectorKind, connectorKinds } from '../connectors/index.js';
import { TrellisError } from '../engine/errors.js';
import {
  connectorSchema,
  nameSchema,
  projectFileSchema,
  sequenceSchema,
  stepSchema,
  transactionBaseSchema,
  variableSchema,
  type Connector,
  type Sequence,
  type Step,
  type Transaction,
  type Variable,
} from '../model/index.js';

export interface ValueIssue {
  path: string;
  message: string;
}

function issuesOf(error: z.ZodError, prefix = ''): ValueIssue[] {
  return error.issues.map((i) => ({ path: [prefix, ...i.path.map(String)].filter(Boolean).join('.'), message: i.message }));
}

/** One error for every problem of a value, so the property editor can mark each field at once. */
export function invalid(objectPath: string, issues: ValueIssue[]): TrellisError {
  const text = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
  return new TrellisError('INVALID_CONFIG', `${objectPath}: ${text}`, { path: objectPath, details: issues });
}

function parse<T>(schema: z.ZodType<T>, value: unknown, objectPath: string, prefix = ''): T {
  const result = schema.safeParse(value);
  if (!result.success) throw invalid(objectPath, issuesOf(result.error, prefix));
  return result.data;
}

export function checkName(name: string, objectPath: string): string {
  return parse(nameSchema, name, objectPath, 'name');
}

function kindOf(kind: string, objectPath: string) {
  const found = connectorKind(kind);
  if (!found) throw invalid(objectPath, [{ path: 'kind', message: `unknown connector kind "${kind}" (kinds: ${connectorKinds().map((k) => k.kind).join(', ')})` }]);
  return found;
}

/**
 * Validates a connector with the model schema and its kind's `config` schema. The model's output is
 * what gets stored: the kind's defaults stay implicit so the YAML holds only what the user set.
 */
export function validateConnector(value: unknown, objectPath: string): Connector {
  const connector = parse(connectorSchema, value, objectPath);
  const kind = kindOf(connector.kind, objectPath);
  const config = kind.config.safeParse(connector.config);
  if (!config.success) throw invalid(objectPath, issuesOf(config.error, 'config'));
  return connector;
}

export function validateTransaction(connector: Connector, value: unknown, objectPath: string): Transaction {
  const tx = parse(transactionBaseSchema, value, objectPath);
  const kind = kindOf(connector.kind, objectPath);
  const checked = kind.transaction.safeParse(tx);
  if (!checked.success) throw invalid(objectPath, issuesOf(checked.error));
  return tx;
}

export function validateVariable(value: unknown, objectPath: string): Variable {
  return parse(variableSchema, value, objectPath);
}

export function validateSequence(value: unknown, objectPath: string): Sequence {
  return parse(sequenceSchema, value, objectPath);
}

export function validateStep(value: unknown, objectPath: string): Step {
  return parse(stepSchema, value, objectPath);
}

/** trellis.yaml's editable keys; name and formatVersion are not the property editor's to change. */
export function validateProjectSettings(current: { name: string; formatVersion: number }, value: Record<string, unknown>, objectPath: string) {
  const { name: _name, formatVersion: _formatVersion, dir: _dir, connectors: _c, sequences: _s, ...settings } = value;
  return parse(projectFileSchema, { ...settings, name: current.name, formatVersion: current.formatVersion }, objectPath);
}
