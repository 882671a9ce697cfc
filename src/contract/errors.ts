import { z } from 'zod';

/** How every transport carries a failed call: the same shape in IPC, HTTP and the CLI. */
export const contractErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  path: z.string().optional(),
  details: z.unknown().optional(),
});
export type ContractError = z.infer<typeof contractErrorSchema>;

/** Thrown by clients when a call fails, carrying the engine's code and message. */
export class StudioApiError extends Error {
  readonly code: string;
  readonly path?: string;
  readonly details?: unknown;
  constructor(error: ContractError) {
    super(error.message);
    this.name = 'StudioApiError';
    this.code = error.code;
    this.path = error.path;
    this.details = error.details;
  }
}
