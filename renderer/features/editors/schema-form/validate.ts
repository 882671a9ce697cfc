import type { ArrayModel, EnumModel, FieldModel, NumberModel, StringModel } from './schema.js';
import { isRecord, jsonEqual } from './schema.js';

/**
 * Checks a value against its field model as the user types. The engine stays the judge (it validates
 * every update with the kind's zod schema); these messages only answer sooner.
 */
export function validateValue(model: FieldModel, value: unknown): string | undefined {
  if (value === undefined || value === '') return model.required ? 'Required' : undefined;
  if (value === null) return model.nullable || !model.required ? undefined : 'Required';
  switch (model.kind) {
    case 'string':
      return validateString(model, value);
    case 'number':
      return validateNumber(model, value);
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'Expected true or false';
    case 'enum':
      return validateEnum(model, value);
    case 'const':
      return jsonEqual(value, model.value) ? undefined : `Must be ${JSON.stringify(model.value)}`;
    case 'array':
      return validateArray(model, value);
    case 'record':
      if (!isRecord(value)) return 'Expected a table of names and values';
      for (const [k, v] of Object.entries(value)) {
        if (model.keyPattern && !safeTest(model.keyPattern, k)) return `"${k}" must match ${model.keyPattern}`;
        const m = validateValue({ ...model.value, required: false }, v);
        if (m) return `${k}: ${m}`;
      }
      return undefined;
    case 'object':
    case 'union':
      return isRecord(value) ? undefined : 'Expected an object';
    case 'json':
      return undefined;
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function safeTest(pattern: string, text: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(text);
  } catch {
    try {
      return new RegExp(pattern).test(text);
    } catch {
      return true;
    }
  }
}

function validateString(model: StringModel, value: unknown): string | undefined {
  if (typeof value !== 'string') return 'Expected text';
  if (model.minLength !== undefined && value.length < model.minLength) return model.minLength === 1 ? 'Required' : `At least ${plural(model.minLength, 'character')}`;
  if (model.maxLength !== undefined && value.length > model.maxLength) return `At most ${plural(model.maxLength, 'character')}`;
  if (model.pattern && !safeTest(model.pattern, value)) return `Must match ${model.pattern}`;
  return undefined;
}

export function validateNumber(model: NumberModel, value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return model.integer ? 'Enter a whole number' : 'Enter a number';
  if (model.integer && !Number.isInteger(value)) return 'Enter a whole number';
  if (model.minimum !== undefined && value < model.minimum) return `At least ${model.minimum}`;
  if (model.exclusiveMinimum !== undefined && value <= model.exclusiveMinimum) return `Greater than ${model.exclusiveMinimum}`;
  if (model.maximum !== undefined && value > model.maximum) return `At most ${model.maximum}`;
  if (model.exclusiveMaximum !== undefined && value >= model.exclusiveMaximum) return `Less than ${model.exclusiveMaximum}`;
  return undefined;
}

function validateEnum(model: EnumModel, value: unknown): string | undefined {
  if (model.options.some((o) => jsonEqual(o.value, value))) return undefined;
  return `Choose one of ${model.options.map((o) => o.label).join(', ')}`;
}

function validateArray(model: ArrayModel, value: unknown): string | undefined {
  if (!Array.isArray(value)) return 'Expected a list';
  if (model.minItems !== undefined && value.length < model.minItems) return `At least ${plural(model.minItems, 'item')}`;
  if (model.maxItems !== undefined && value.length > model.maxItems) return `At most ${plural(model.maxItems, 'item')}`;
  for (let i = 0; i < value.length; i++) {
    const m = validateValue({ ...model.item, required: true }, value[i]);
    if (m) return `Item ${i + 1}: ${m}`;
  }
  return undefined;
}

/**
 * Reads the text of a number field: '' is no value, anything else must be a number (the text stays
 * in the field when it is not, with the message).
 */
export function parseNumberText(text: string, integer: boolean): { value?: number; error?: string } {
  const t = text.trim();
  if (t === '') return {};
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return { error: integer ? 'Enter a whole number' : 'Enter a number' };
  const n = Number(t);
  if (!Number.isFinite(n)) return { error: 'Enter a number' };
  if (integer && !Number.isInteger(n)) return { error: 'Enter a whole number' };
  if (integer && !Number.isSafeInteger(n)) return { error: 'Too large' };
  return { value: n };
}

/** Reads the text of a JSON field: '' is no value. */
export function parseJsonText(text: string): { value?: unknown; error?: string } {
  if (text.trim() === '') return {};
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (e) {
    return { error: `Invalid JSON: ${(e as Error).message}` };
  }
}

/** The text a JSON field shows for a value. */
export function formatJsonText(value: unknown): string {
  return value === undefined ? '' : JSON.stringify(value, null, 2);
}

/** What a placeholder shows for a default value. */
export function placeholderFor(model: FieldModel): string | undefined {
  const d = model.default;
  if (d === undefined || d === null || d === '') return undefined;
  if (typeof d === 'string') return d;
  if (typeof d === 'number' || typeof d === 'boolean') return String(d);
  return JSON.stringify(d);
}

/** Rows of a key/value table turned into an object, with a message per bad row. */
export function rowsToRecord(rows: readonly (readonly [string, unknown])[]): { value: Record<string, unknown>; errors: (string | undefined)[] } {
  const value: Record<string, unknown> = {};
  const seen = new Set<string>();
  const errors = rows.map(([k, v]): string | undefined => {
    const key = k.trim();
    if (key === '') return v === '' || v === undefined ? undefined : 'Enter a name';
    if (seen.has(key)) return `"${key}" is already set above`;
    seen.add(key);
    value[key] = v;
    return undefined;
  });
  return { value, errors };
}

/**
 * The message a field shows: "Required" for an empty required field (clearer than the engine's
 * "expected string, received undefined"), else the engine's message, else the local one.
 */
export function pickError(engine: string | undefined, local: string | undefined, value: unknown): string | undefined {
  if (local && (value === undefined || value === '')) return local;
  return engine ?? local;
}
