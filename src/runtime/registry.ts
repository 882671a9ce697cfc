import { HttpError } from './errors.js';
import type { Deployment } from './deployments.js';
import { mappingConflicts, MappingTable } from './mappings.js';

/**
 * The projects being served, by name, and the mapping table built from them. A deploy replaces one entry and
 * the table in one synchronous step; requests already running keep the deployment they started on, and the
 * replaced deployment is retired (closed) once they are done.
 */
export class Registry {
  private readonly byName = new Map<string, Deployment>();
  private current = new MappingTable([]);

  get(name: string): Deployment | undefined {
    return this.byName.get(name);
  }

  list(): Deployment[] {
    return [...this.byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  get table(): MappingTable {
    return this.current;
  }

  /** Adds or replaces a deployment; refuses (409) one whose mappings overlap another project's. Returns the replaced one. */
  swap(next: Deployment): Deployment | undefined {
    const others = this.list().filter((d) => d.name !== next.name);
    const conflicts = mappingConflicts([...others, next]);
    if (conflicts.length) throw new HttpError(409, 'CONFLICT', conflicts.join('; '), { details: conflicts });
    const previous = this.byName.get(next.name);
    this.byName.set(next.name, next);
    this.current = new MappingTable([...others, next]);
    if (previous) void previous.retire();
    return previous;
  }

  remove(name: string): Deployment | undefined {
    const previous = this.byName.get(name);
    if (!previous) return undefined;
    this.byName.delete(name);
    this.current = new MappingTable(this.list());
    void previous.retire();
    return previous;
  }

  /** Retires everything (server shutdown): resolves when every deployment is closed. */
  async clear(): Promise<void> {
    const all = this.list();
    this.byName.clear();
    this.current = new MappingTable([]);
    await Promise.all(all.map((d) => d.retire()));
  }
}
