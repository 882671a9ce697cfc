import { breakStep } from './break.step.js';
import { callSequenceStep } from './call-sequence.step.js';
import { callTransactionStep } from './call-transaction.step.js';
import { catchStep } from './catch.step.js';
import { commentStep } from './comment.step.js';
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
];

const byKind = new Map(kinds.map((k) => [k.kind, k]));

export function stepKind(kind: string): StepKind<any> | undefined {
  return byKind.get(kind);
}

export function stepKinds(): readonly StepKind<any>[] {
  return kinds;
}

export type { StepKind, StepContext, RunStep, StepCategory, CheckContext, DeriveContext } from './step-kind.js';
