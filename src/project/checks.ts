import type { Connector, Sequence, Step, Variable } from '../model/index.js';
import { z } from 'zod';
import { connectorKind, connectorKinds } from '../connectors/index.js';
import { issueFindings, type Finding } from './issues.js';
import { formatPath, type PathSegment } from './yaml-io.js';

// Rules zod schemas cannot state: names that sources, URLs and lookups rely on being unique.

export function connectorFindings(c: Connector): Finding[] {
  const out = duplicates(c.transactions, (t) => t.name, ['transactions'], 'transaction');
  c.transactions.forEach((t, i) => out.push(...variableFindings(t.variables, ['transactions', i, 'variables'])));
  return out;
}

export function sequenceFindings(s: Sequence): Finding[] {
  const out = variableFindings(s.variables, ['variables']);
  const seen = new Map<string, string>();
  const walk = (steps: readonly Step[], path: PathSegment[]) =>
    steps.forEach((step, i) => {
      const here = [...path, i];
      const first = seen.get(step.id);
      if (first !== undefined) out.push({ path: [...here, 'id'], message: `${formatPath(here)}.id: duplicate step id "${step.id}" (first at ${first}); step ids are unique in a sequence because sources name them` });
      else seen.set(step.id, formatPath(here));
      if (step.steps) walk(step.steps, [...here, 'steps']);
    });
  walk(s.steps, ['steps']);
  return out;
}

function variableFindings(variables: readonly Variable[], path: PathSegment[]): Finding[] {
  return duplicates(variables, (v) => v.name, path, 'variable');
}

function duplicates<T>(items: readonly T[], nameOf: (item: T) => string, path: PathSegment[], what: string): Finding[] {
  const out: Finding[] = [];
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const name = nameOf(item);
    const first = seen.get(name);
    if (first !== undefined) out.push({ path: [...path, i, 'name'], message: `${formatPath([...path, i])}.name: duplicate ${what} name "${name}" (first at ${formatPath([...path, first])})` });
    else seen.set(name, i);
  });
  return out;
}

/**
 * The connector's kind checks its own settings and transactions. These problems are reported with
 * their line like any other, but the connector stays in the model so the studio can show and fix it.
 */
export function connectorKindFindings(c: Connector): Finding[] {
  const kind = connectorKind(c.kind);
  if (!kind) {
    const known = connectorKinds().map((k) => k.kind);
    return [{ path: ['kind'], message: `kind: unknown connector kind "${c.kind}" (known kinds: ${known.join(', ')})` }];
  }
  const schema = z.looseObject({ config: kind.config, transactions: z.array(kind.transaction) });
  const result = schema.safeParse(c);
  const out = result.success ? [] : issueFindings(result.error.issues, c, schema);
  c.transactions.forEach((t, i) => {
    if (t.type !== undefined && !kind.transactionTypes.includes(t.type))
      out.push({ path: ['transactions', i, 'type'], message: `${formatPath(['transactions', i, 'type'])}: a ${kind.kind} transaction is one of ${kind.transactionTypes.join(', ')}, got "${t.type}"` });
  });
  return out;
}
