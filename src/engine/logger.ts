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
  private fallback: string;
  private readonly cache = new Map<string, Logger>();

  constructor(settings: LogSettings = {}) {
    const fromEnv = parseLogSpec(settings.spec ?? process.env.TRELLIS_LOG);
    this.fallback = fromEnv.default ?? settings.project?.default ?? 'warn';
    this.levels = { ...(settings.project ?? {}), ...fromEnv.categories };
    this.root = pino({ level: 'trace', base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, settings.destination ?? pino.destination(2));
    for (const e of fromEnv.errors) this.root.warn({ category: 'engine' }, e);
  }

  /**
   * Changes levels while running (the studio's log settings; the runtime's PUT /admin/log-levels), for the
   * loggers already handed out too. `default` sets the level of categories without one of their own.
   * Every level is checked first: an unknown one changes nothing and is reported.
   */
  setLevels(levels: Record<string, string>): void {
    const bad = Object.entries(levels).filter(([, level]) => !LEVELS.has(String(level).toLowerCase()));
    if (bad.length) throw new Error(`unknown log level ${bad.map(([c, l]) => `"${l}" for ${c}`).join(', ')} (use one of ${[...LEVELS].join(', ')})`);
    for (const [category, level] of Object.entries(levels)) {
      if (category === 'default') this.fallback = level.toLowerCase();
      else this.levels[category] = level.toLowerCase();
    }
    for (const [category, logger] of this.cache) logger.level = this.levels[category] ?? this.fallback;
  }

  /** The levels in force: the default and each category's own. */
  currentLevels(): { default: string; categories: Record<string, string> } {
    return { default: this.fallback, categories: { ...this.levels } };
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
