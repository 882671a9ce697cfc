import { createContext, useContext } from 'react';
import type { FieldModel, Path } from './schema.js';

export interface FormContextValue {
  /** makes element ids unique per form */
  idPrefix: string;
  /** the engine's message for the field at `path`, while the field still holds the value it was about */
  errorAt(path: Path, value: unknown): string | undefined;
  disabled: boolean;
}

export const FormContext = createContext<FormContextValue>({ idPrefix: 'sf', errorAt: () => undefined, disabled: false });

export function useFormContext(): FormContextValue {
  return useContext(FormContext);
}

/** What every field component receives. */
export interface FieldProps<M extends FieldModel = FieldModel> {
  model: M;
  value: unknown;
  path: Path;
  onChange(value: unknown): void;
  /** the object holding this field (secret detection reads its `secret` flag) */
  parent?: unknown;
  /** label only for screen readers (array items, table cells) */
  compact?: boolean;
}

/** A DOM id for the field at `path`. */
export function fieldId(prefix: string, path: Path): string {
  return `${prefix}-${path.map((p) => String(p).replace(/[^A-Za-z0-9_-]/g, '_')).join('-') || 'root'}`;
}

/** aria-describedby for a control with optional error and help. */
export function describedBy(id: string, error: unknown, help: unknown): string | undefined {
  const ids = [error ? `${id}-error` : '', help ? `${id}-help` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}
