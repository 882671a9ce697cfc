import type { Connector } from '../model/index.js';
import type { ImportProgress, ImportSummary, ImportWarning, JsonSchema, SkippedOperation } from '../openapi/types.js';

export type { ImportDiff, ImportProgress, ImportSummary, JsonSchema, SkippedOperation } from '../openapi/types.js';

/**
 * A defect of the WSDL that the import worked around, or a limit of the mapping worth knowing (the same
 * shape as the OpenAPI import's). `message` names the place: `<file>:<line>: <what>`; `pointer` is the
 * element's path, e.g. `/definitions/portType[@name='Quotes']/operation[@name='get']`.
 */
export interface WsdlWarning extends ImportWarning {
  /** 1-based line of the element in `file` */
  line?: number;
}

export interface WsdlReadOptions {
  signal?: AbortSignal;
  onProgress?: (p: ImportProgress) => void;
  /** name of the connector; by default derived from the service (or the definitions' name) */
  connectorName?: string;
  /** the SOAP version when the WSDL offers both; by default SOAP 1.1 */
  binding?: 'soap11' | 'soap12';
  /** the service to use when the WSDL has several; by default the one exposing the most operations */
  service?: string;
  /** per-request timeout for http(s) documents, in ms */
  timeoutMs?: number;
}

export interface WsdlImportOptions extends WsdlReadOptions {
  /** compute the plan and the diff, write nothing */
  dryRun?: boolean;
}

/** One distinct portType operation the import made a transaction of. */
export interface WsdlOperationInfo {
  name: string;
  operation: string;
  portType: string;
  /** SOAP versions it is offered over */
  bindings: Array<'soap11' | 'soap12'>;
  style: 'document' | 'rpc';
  oneWay: boolean;
  description?: string;
}

/** What a WSDL maps to, before anything is written. */
export interface WsdlImportPlan {
  connector: Connector;
  /** output schemas by owner `<connector>.<transaction>` */
  schemas: Record<string, JsonSchema>;
  warnings: WsdlWarning[];
  skipped: SkippedOperation[];
  operations: WsdlOperationInfo[];
  /** services and their SOAP ports, to choose another with `service` / `binding` */
  ports: Array<{ service: string; port: string; binding: 'soap11' | 'soap12'; address?: string }>;
  /**
   * `document`: URL of the WSDL document the connector reads (the one defining the chosen service: the `soap`
   * package follows xsd imports but not always wsdl:import, so a service imported by the entry is read from
   * its own document)
   */
  wsdl: { name?: string; targetNamespace?: string; files: number; document: string };
}

export type WsdlImportSummary = ImportSummary & { warnings: WsdlWarning[] };
