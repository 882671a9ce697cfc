import type { Variable } from '../model/index.js';
import { TrellisError } from './errors.js';
import type { Logger } from './logger.js';
import type { TraceEvent, TraceListener } from './trace.js';

/** What a secret value becomes in logs, traces, errors, the execution history and test reports. */
export const MASK = '***';

/**
 * Shorter values are not replaced inside free text: masking every "7" or "ab" in a log line would hide
 * everything else. A secret variable's own value is still shown as *** wherever it appears whole
 * (the history's inputs, test reports).
 */
export const MIN_MASKED_LENGTH = 3;

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;

// Variable lists are replaced, never mutated, when edited: whether one declares a secret is asked once (the hot path).
const secretLists = new WeakMap<readonly Variable[], boolean>();
function declaresSecret(declared: readonly Variable[]): boolean {
  let has = secretLists.get(declared);
  if (has === undefined) {
    has = declared.some((v) => v.secret === true);
    secretLists.set(declared, has);
  }
  return has;
}

function secretTexts(value: unknown, out: Set<string>): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) {
    for (const item of value) secretTexts(item, out);
    return;
  }
  const text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (text.length >= MIN_MASKED_LENGTH) out.add(text);
}

/**
 * The secret values of one execution, and how to hide them. Built from the variables marked `secret`
 * and the values they got; a sequence hands its mask to the transactions it calls, which add their own.
 * An empty mask changes nothing and costs nothing, so executions without secrets keep their speed.
 */
export class SecretMask {
  static readonly none = new SecretMask([]);
  private readonly values: readonly string[];

  private constructor(values: Iterable<string>) {
    // longest first: a secret that contains another is replaced whole
    this.values = [...new Set(values)].sort((a, b) => b.length - a.length);
  }

  /** The mask of `declared` variables with the `given` values (raw or coerced), on top of `parent`'s. */
  static of(declared: readonly Variable[], given: Record<string, unknown>, parent: SecretMask = SecretMask.none): SecretMask {
    if (!declaresSecret(declared)) return parent;
    const found = new Set<string>(parent.values);
    for (const v of declared) {
      if (!v.secret) continue;
      secretTexts(given[v.name], found);
      secretTexts(v.default, found);
    }
    return found.size === parent.values.length ? parent : new SecretMask(found);
  }

  /** A mask of these literal values (the studio's history, tests). */
  static ofValues(values: Iterable<unknown>): SecretMask {
    const found = new Set<string>();
    for (const v of values) secretTexts(v, found);
    return found.size ? new SecretMask(found) : SecretMask.none;
  }

  get empty(): boolean {
    return this.values.length === 0;
  }

  text(text: string): string {
    if (this.values.length === 0) return text;
    let out = text;
    for (const secret of this.values) if (out.includes(secret)) out = out.split(secret).join(MASK);
    return out;
  }

  /** A copy of a JSON-like value with every secret inside its strings (keys included) replaced. */
  json<T>(value: T): T {
    if (this.values.length === 0) return value;
    return this.walk(value, 0) as T;
  }

  private walk(value: unknown, depth: number): unknown {
    if (typeof value === 'string') return this.text(value);
    if (typeof value === 'number' || typeof value === 'bigint') {
      const text = String(value);
      return this.text(text) === text ? value : MASK;
    }
    if (value === null || typeof value !== 'object' || depth > 64) return value;
    if (value instanceof Error) {
      const masked = new Error(this.text(value.message));
      masked.name = value.name;
      if (value.stack) masked.stack = this.text(value.stack);
      return masked;
    }
    if (Array.isArray(value)) return value.map((item) => this.walk(item, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[this.text(key)] = this.walk(item, depth + 1);
    return out;
  }

  /** The same error with its message and details masked (a TrellisError keeps its code and path). */
  error(error: TrellisError): TrellisError {
    if (this.values.length === 0) return error;
    const message = this.text(error.message);
    const details = this.json(error.details);
    if (message === error.message && details === error.details) return error;
    // no cause: the original error still holds the secret
    return new TrellisError(error.code, message, { path: error.path === undefined ? undefined : this.text(error.path), details });
  }

  trace(listener: TraceListener): TraceListener;
  trace(listener: TraceListener | undefined): TraceListener | undefined;
  trace(listener: TraceListener | undefined): TraceListener | undefined {
    if (!listener || this.values.length === 0) return listener;
    return (event: TraceEvent) => listener(this.event(event));
  }

  event(event: TraceEvent): TraceEvent {
    if (this.values.length === 0) return event;
    const out: TraceEvent = { ...event };
    if (event.output !== undefined) out.output = this.json(event.output);
    if (event.error) out.error = this.json(event.error);
    return out;
  }

  /**
   * A child of `logger` whose lines have every secret replaced: the message, the merged object and
   * errors in it. The level methods are wrapped per logger, never pino's shared prototype.
   */
  logger(logger: Logger): Logger {
    if (this.values.length === 0) return logger;
    const child = logger.child({}, { formatters: { log: (obj: object) => this.json(obj) } });
    for (const level of LEVELS) {
      const write = child[level] as (...args: unknown[]) => void;
      (child as unknown as Record<string, unknown>)[level] = (...args: unknown[]) => write.apply(child, args.map((a) => (typeof a === 'string' ? this.text(a) : a)));
    }
    return child;
  }
}

/** Names of the secret variables among `declared`, for showing inputs (history, reports) as ***. */
export function maskInputs(declared: readonly Variable[], given: Record<string, unknown>): Record<string, unknown> {
  const secret = new Set(declared.filter((v) => v.secret).map((v) => v.name));
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(given)) out[name] = secret.has(name) ? MASK : value;
  return out;
}

/**
 * The options of an execution with its secrets applied: the caller's mask extended with the secret
 * variables of `declared`, and the logger, connector logger and trace listener wrapped by it. Unchanged
 * when there is no secret.
 */
export function withSecrets<O extends { mask?: SecretMask; logger?: Logger; connectorLogger?: Logger; onTrace?: TraceListener }>(
  declared: readonly Variable[] | undefined,
  given: Record<string, unknown>,
  options: O,
): O {
  const parent = options.mask ?? SecretMask.none;
  const mask = declared ? SecretMask.of(declared, given, parent) : parent;
  if (mask === parent) return options;
  return {
    ...options,
    mask,
    logger: options.logger && mask.logger(options.logger),
    connectorLogger: options.connectorLogger && mask.logger(options.connectorLogger),
    onTrace: mask.trace(options.onTrace),
  };
}
