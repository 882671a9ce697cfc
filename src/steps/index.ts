import { breakStep } from './break.step.js';
import { callSequenceStep } from './call-sequence.step.js';
import { callTransactionStep } from './call-transaction.step.js';
import { catchStep } from './catch.step.js';
import { commentStep } from './comment.step.js';
import { copyFileStep } from './copy-file.step.js';
import { deleteFileStep } from './delete-file.step.js';
import { listFilesStep } from './list-files.step.js';
import { moveFileStep } from './move-file.step.js';
import { readCsvStep } from './read-csv.step.js';
import { readJsonStep } from './read-json.step.js';
import { readXmlStep } from './read-xml.step.js';
import { writeCsvStep } from './write-csv.step.js';
import { writeJsonStep } from './write-json.step.js';
import { writeXmlStep } from './write-xml.step.js';
import { xmlElementStep } from './xml-element.step.js';
import { xmlAttributeStep } from './xml-attribute.step.js';
import { jsonToXmlStep } from './json-to-xml.step.js';
import { xmlToJsonStep } from './xml-to-json.step.js';
import { transformStep } from './transform.step.js';
import { sessionGetStep } from './session-get.step.js';
import { sessionSetStep } from './session-set.step.js';
import { sessionRemoveStep } from './session-remove.step.js';
import { sessionClearStep } from './session-clear.step.js';
import { setAuthenticatedUserStep } from './set-authenticated-user.step.js';
import { getAuthenticatedUserStep } from './get-authenticated-user.step.js';
import { removeAuthenticatedUserStep } from './remove-authenticated-user.step.js';
import { getRequestHeaderStep } from './get-request-header.step.js';
import { setResponseHeaderStep } from './set-response-header.step.js';
import { setResponseStatusStep } from './set-response-status.step.js';
import { hashStep } from './hash.step.js';
import { dateTimeStep } from './date-time.step.js';
import { sortStep } from './sort.step.js';
import { filterStep } from './filter.step.js';
import { uuidStep } from './uuid.step.js';
import { continueStep } from './continue.step.js';
import { elseIfStep } from './else-if.step.js';
import { elseStep } from './else.step.js';
import { finallyStep } from './finally.step.js';
import { ifStep } from './if.step.js';
import { iterateStep } from './iterate.step.js';
import { jsStep } from './js.step.js';
import { jsonArrayStep } from './json-array.step.js';
import { jsonObjectStep } from './json-object.step.js';
import { jsonValueStep } from './json-value.step.js';
import { logStep } from './log.step.js';
import { outputStep } from './output.step.js';
import { parallelStep } from './parallel.step.js';
import { returnStep } from './return.step.js';
import { setVariableStep } from './set-variable.step.js';
import { sleepStep } from './sleep.step.js';
import type { StepKind } from './step-kind.js';
import { throwStep } from './throw.step.js';
import { tryStep } from './try.step.js';
import { whileStep } from './while.step.js';

// The only registry of step kinds: adding a kind is one file plus one line here. Palette order.
const kinds: StepKind<any>[] = [
  callTransactionStep,
  callSequenceStep,
  ifStep,
  elseIfStep,
  elseStep,
  whileStep,
  iterateStep,
  breakStep,
  continueStep,
  tryStep,
  catchStep,
  finallyStep,
  parallelStep,
  returnStep,
  jsStep,
  setVariableStep,
  jsonObjectStep,
  jsonArrayStep,
  jsonValueStep,
  outputStep,
  logStep,
  sleepStep,
  throwStep,
  commentStep,
  readJsonStep,
  readXmlStep,
  readCsvStep,
  writeJsonStep,
  writeXmlStep,
  writeCsvStep,
  listFilesStep,
  copyFileStep,
  moveFileStep,
  deleteFileStep,
  xmlElementStep,
  xmlAttributeStep,
  jsonToXmlStep,
  xmlToJsonStep,
  transformStep,
  sessionGetStep,
  sessionSetStep,
  sessionRemoveStep,
  sessionClearStep,
  setAuthenticatedUserStep,
  getAuthenticatedUserStep,
  removeAuthenticatedUserStep,
  getRequestHeaderStep,
  setResponseHeaderStep,
  setResponseStatusStep,
  hashStep,
  dateTimeStep,
  sortStep,
  filterStep,
  uuidStep,
];

const byKind = new Map(kinds.map((k) => [k.kind, k]));

export function stepKind(kind: string): StepKind<any> | undefined {
  return byKind.get(kind);
}

export function stepKinds(): readonly StepKind<any>[] {
  return kinds;
}

export type { StepKind, StepContext, RunStep, StepCategory, CheckContext, DeriveContext } from './step-kind.js';
