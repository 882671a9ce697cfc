import type { Logs } from '../engine/logger.js';
import { HttpError } from './errors.js';
import type { Registry } from './registry.js';

/**
 * Log levels changed without a restart (PUT /admin/log-levels): the server's own categories (runtime)
 * and every served project's (sequence, transaction, connector, …). The changes are remembered and
 * applied to bundles deployed later, so a hot swap does not silently reset them.
 */
export class LevelOverrides {
  private readonly levels: Record<string, string> = {};
  private readonly byProject = new Map<string, Record<string, string>>();

  constructor(
    private readonly registry: Registry,
    private readonly server: Logs | undefined,
  ) {}

  /** Checks and applies `levels` (category → level, `default` for the rest), to one project when named. */
  apply(levels: unknown, project: unknown): void {
    if (levels === null || typeof levels !== 'object' || Array.isArray(levels) || Object.values(levels).some((v) => typeof v !== 'string'))
      throw new HttpError(400, 'BAD_REQUEST', 'send {"levels": {"<category>": "<level>", "default": "<level>"}, "project"?: "<name>"}');
    const wanted = levels as Record<string, string>;
    const targets = project === undefined ? this.registry.list() : this.registry.list().filter((d) => d.name === project);
    if (project !== undefined && targets.length === 0) throw new HttpError(404, 'NOT_FOUND', `no project "${String(project).slice(0, 128)}" is served here`);
    try {
      // checked on the server's set first: a bad level changes nothing anywhere
      for (const d of targets) d.logs.setLevels(wanted);
      if (project === undefined) this.server?.setLevels(wanted);
    } catch (e) {
      throw new HttpError(400, 'BAD_REQUEST', (e as Error).message);
    }
    if (project === undefined) Object.assign(this.levels, wanted);
    else this.byProject.set(String(project), { ...this.byProject.get(String(project)), ...wanted });
  }

  /** What a newly deployed project starts from. */
  onDeploy(logs: Logs, name: string): void {
    const own = { ...this.levels, ...this.byProject.get(name) };
    if (Object.keys(own).length) logs.setLevels(own);
  }

  describe() {
    return {
      server: this.server?.currentLevels() ?? null,
      projects: Object.fromEntries(this.registry.list().map((d) => [d.name, d.logs.currentLevels()])),
    };
  }
}
