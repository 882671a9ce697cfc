import type { z } from 'zod';
import { methods, type ContractError, type MethodName, type StudioHandlers } from '../contract/index.js';
import { isTrellisError } from '../engine/errors.js';
import type { Logger } from '../engine/logger.js';

export type DispatchResponse = { ok: true; result: unknown } | { ok: false; error: ContractError };

export interface Dispatcher {
  dispatch(method: string, rawParams: unknown): Promise<DispatchResponse>;
}

function isMethod(name: string): name is MethodName {
  // Own keys only: `constructor` or `__proto__` are not methods.
  return Object.prototype.hasOwnProperty.call(methods, name);
}

function fieldIssues(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

/** The error a client sees: code, message, object path and details; a stack trace never leaves the engine. */
export function toContractError(e: unknown): ContractError {
  if (isTrellisError(e)) {
    const error: ContractError = { code: e.code, message: e.message };
    if (e.path !== undefined) error.path = e.path;
    if (e.details !== undefined) error.details = e.details;
    return error;
  }
  return { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
}

/**
 * The single path from any transport (Electron IPC, web-mode HTTP, tests) into the service: look the
 * method up in the contract, validate params with its schema, call the handler, check the result.
 */
export function createDispatcher(service: StudioHandlers, logger?: Logger): Dispatcher {
  return {
    async dispatch(method, rawParams) {
      if (typeof method !== 'string' || !isMethod(method)) {
        return { ok: false, error: { code: 'UNKNOWN_METHOD', message: `unknown method "${String(method)}" (methods: ${Object.keys(methods).join(', ')})` } };
      }
      const spec = methods[method];
      const params = spec.params.safeParse(rawParams ?? {});
      if (!params.success) {
        const issues = fieldIssues(params.error);
        const text = issues.map((i) => `${i.path || '(params)'}: ${i.message}`).join('; ');
        return { ok: false, error: { code: 'BAD_PARAMS', message: `${method}: ${text}`, details: issues } };
      }
      let raw: unknown;
      try {
        const handler = service[method] as (p: unknown) => Promise<unknown>;
        raw = await handler.call(service, params.data);
      } catch (e) {
        const error = toContractError(e);
        if (error.code === 'INTERNAL') logger?.error({ err: e, method }, `${method} failed: ${error.message}`);
        return { ok: false, error };
      }
      const result = spec.result.safeParse(raw);
      if (!result.success) {
        const issues = fieldIssues(result.error);
        logger?.error({ method, issues }, `${method} returned a result that breaks the contract`);
        return { ok: false, error: { code: 'INTERNAL', message: `${method}: the engine returned an invalid result (${issues.map((i) => `${i.path || '(result)'}: ${i.message}`).join('; ')})` } };
      }
      return { ok: true, result: result.data };
    },
  };
}
