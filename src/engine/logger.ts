import pino, { type Logger, type DestinationStream } from 'pino';

export const LOG_CATEGORIES = ['engine', 'connector', 'transaction', 'project', 'cli', 'studio', 'runtime'] as const;
export type LogCategory = (typeof LOG_CATEGORIES)[number];
export type { Logger };

const LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/**
 * Parses a level spec such as `info,connector=debug`: a bare level is the default, `cat=level` overrides one
 * category. Unknown levels are reported, not silently ignored.
 */
export function parseLogSpec(spec: string | undefined): { default?: string; categories: Record<string, string>; errors: string[] } {
  const result: { default?: string; categories: Record<string, string>; errors: string[] } = { categories: {}, errors: [] };
  if (!spec) return result;
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [a, b] = part.split('=').map((s) => s.trim());
    const level = (b ?? a)!.toLowerCase();
    if (!LEVELS.has(level)) {
      result.errors.push(`TRELLIS_LOG: unknown level "${b ?? a}" (use one of ${[...LEVELS].join(', ')})`);
      continue;
    }
    if (b === undefined) result.default = level;
    else result.categories[a!] = level;
  }
  return result;
}

export interface LogSettings {
  /** the project's own levels (trellis.yaml `log:`), overridden by TRELLIS_LOG */
  project?: Record<string, string>;
  spec?: string;
  destination?: DestinationStream;
}

/** One root pino logger; each category is a child with its own level. */
export class Logs {
  private readonly root: Logger;
  private readonly levels: Record<string, string>;
  private readonly fallback: string;
  private readonly cache = new Map<string, Logger>();

  constructor(settings: LogSettings = {}) {
    const fromEnv = parseLogSpec(settings.spec ?? process.env.TRELLIS_LOG);
    this.fallback = fromEnv.default ?? settings.project?.default ?? 'warn';
    this.levels = { ...(settings.project ?? {}), ...fromEnv.categories };
    this.root = pino({ level: 'trace', base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, settings.destination ?? pino.destination(2));
    for (const e of fromEnv.errors) this.root.warn({ category: 'engine' }, e);
  }

  get(category: LogCategory | string): Logger {
    let logger = this.cache.get(category);
    if (!logger) {
      logger = this.root.child({ category });
      logger.level = this.levels[category] ?? this.fallback;
      this.cache.set(category, logger);
    }
    return logger;
  }
}

/** A logger that drops everything, for tests and library callers that did not ask for logs. */
export const silentLogger: Logger = pino({ level: 'silent' });
