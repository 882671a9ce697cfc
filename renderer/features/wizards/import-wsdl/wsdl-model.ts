import type { WsdlPreview } from '../../../../src/contract/index.js';
import { describeImportError, type ImportProblem } from '../import-openapi/import-errors.js';
import type { OperationGroup, PreviewOperation } from '../import-openapi/operations-model.js';

export type SoapVersion = WsdlPreview['binding'];

export const VERSION_LABEL: Record<SoapVersion, string> = { soap11: 'SOAP 1.1', soap12: 'SOAP 1.2' };

/**
 * WSDL operations in the shape the shared operations list draws (a row: badge, path, name, summary),
 * grouped by port type: the badge says the SOAP versions, the "path" is the port type operation.
 */
export function groupByPortType(operations: WsdlPreview['operations']): OperationGroup[] {
  const groups = new Map<string, PreviewOperation[]>();
  for (const op of operations) {
    const row: PreviewOperation = {
      name: op.name,
      method: op.style,
      path: `${op.operation}${op.oneWay ? ' (one-way)' : ''}`,
      tags: [op.portType],
      ...(op.description ? { summary: op.description } : { summary: op.bindings.map((b) => VERSION_LABEL[b]).join(' · ') }),
      ...(op.change ? { change: op.change } : {}),
    };
    const list = groups.get(op.portType) ?? [];
    list.push(row);
    groups.set(op.portType, list);
  }
  return [...groups].map(([tag, ops]) => ({ tag, operations: ops }));
}

/** The services of a preview, in document order, with the SOAP versions each is offered over. */
export function servicesOf(preview: WsdlPreview): Array<{ service: string; versions: SoapVersion[] }> {
  const out = new Map<string, Set<SoapVersion>>();
  for (const p of preview.ports) out.set(p.service, (out.get(p.service) ?? new Set()).add(p.binding));
  return [...out].map(([service, versions]) => ({ service, versions: [...versions].sort() }));
}

/** An error of wsdl.preview / wsdl.import beside the field that fixes it (the WSDL reader says `column`). */
export function describeWsdlError(error: unknown): ImportProblem | null {
  const problem = describeImportError(error);
  if (!problem) return null;
  const details = (error as { details?: Record<string, unknown> }).details;
  if (problem.col === undefined && typeof details?.column === 'number') problem.col = details.column;
  if (problem.file && problem.line === undefined) {
    // "file.wsdl:12:3" in the error's path when the details do not say
    const m = /^(.*?):(\d+)(?::(\d+))?$/.exec(problem.file);
    if (m) Object.assign(problem, { file: m[1], line: Number(m[2]), ...(m[3] ? { col: Number(m[3]) } : {}) });
  }
  if (/\bno service\b/i.test(problem.message)) problem.field = 'server';
  return problem;
}
