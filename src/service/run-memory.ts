import type { Json } from '../model/index.js';
import { projectKey } from './workspace.js';

/** Owners whose last result a project keeps; older ones are dropped (each may be a large response). */
export const KEPT_RESULTS = 50;

interface ProjectMemory {
  /** last result data by owner: `<connector>.<transaction>` or a sequence name */
  data: Map<string, Json>;
  /** the last execution of each sequence, as sourceTree's samples: outputs by step id, 'variables', '<id>.meta' */
  samples: Map<string, Record<string, Json>>;
}

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key); // re-inserted last: the map's order is least recently set first
  map.set(key, value);
  while (map.size > KEPT_RESULTS) map.delete(map.keys().next().value!);
}

/**
 * What the last executions produced, per open project: the data "Update schema" infers from and the
 * samples the source picker shows. Kept in memory only, dropped when the project closes.
 */
export class RunMemory {
  private readonly projects = new Map<string, ProjectMemory>();

  private of(dir: string): ProjectMemory {
    const key = projectKey(dir);
    let memory = this.projects.get(key);
    if (!memory) {
      memory = { data: new Map(), samples: new Map() };
      this.projects.set(key, memory);
    }
    return memory;
  }

  setData(dir: string, owner: string, data: Json): void {
    remember(this.of(dir).data, owner, data);
  }

  data(dir: string, owner: string): Json | undefined {
    return this.projects.get(projectKey(dir))?.data.get(owner);
  }

  setSamples(dir: string, sequence: string, samples: Record<string, Json>): void {
    remember(this.of(dir).samples, sequence, samples);
  }

  samples(dir: string, sequence: string): Record<string, Json> | undefined {
    return this.projects.get(projectKey(dir))?.samples.get(sequence);
  }

  forget(dir: string): void {
    this.projects.delete(projectKey(dir));
  }
}
