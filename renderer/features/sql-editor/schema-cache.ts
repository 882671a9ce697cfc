import type { DatabaseSchemaDto, StudioApi } from '../../../src/contract/index.js';

/**
 * Database structures from connector.introspect, one per connector, shared by the SQL editors' completion
 * and "Generate database services…". Introspection opens the database, so it runs once per connector until
 * refreshed (the editor's ⟳ button, or after generating services).
 */
export class SchemaCache {
  private readonly entries = new Map<string, { promise: Promise<DatabaseSchemaDto>; value: DatabaseSchemaDto | null }>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly api: StudioApi) {}

  private key(project: string, connector: string): string {
    return `${project}\u0001${connector}`;
  }

  /** The structure, introspecting on first use; a failure is not cached (the next call tries again). */
  get(project: string, connector: string): Promise<DatabaseSchemaDto> {
    const key = this.key(project, connector);
    const known = this.entries.get(key);
    if (known) return known.promise;
    const entry: { promise: Promise<DatabaseSchemaDto>; value: DatabaseSchemaDto | null } = { promise: Promise.resolve(null as never), value: null };
    entry.promise = this.api['connector.introspect']({ project, connector }).then(
      (schema) => {
        entry.value = schema;
        this.changed();
        return schema;
      },
      (e: unknown) => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
        throw e;
      },
    );
    this.entries.set(key, entry);
    return entry.promise;
  }

  /** The structure when it has loaded, else null (completion never waits for the database). */
  peek(project: string, connector: string): DatabaseSchemaDto | null {
    return this.entries.get(this.key(project, connector))?.value ?? null;
  }

  refresh(project: string, connector: string): Promise<DatabaseSchemaDto> {
    this.entries.delete(this.key(project, connector));
    return this.get(project, connector);
  }

  /** Called whenever a structure loads; returns the removal. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}

const caches = new WeakMap<StudioApi, SchemaCache>();

/** The cache of this studio connection. */
export function schemaCache(api: StudioApi): SchemaCache {
  let cache = caches.get(api);
  if (!cache) {
    cache = new SchemaCache(api);
    caches.set(api, cache);
  }
  return cache;
}
