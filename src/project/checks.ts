import type { Connector, Sequence, Step, Variable } from '../model/index.js';
import type { Finding } from './issues.js';
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
