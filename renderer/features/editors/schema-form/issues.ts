import type { Path } from './schema.js';
import { isRecord, pathKey } from './schema.js';

/** One problem the engine found in an edit, at a path inside the edited object. */
export interface Issue {
  path: Path;
  message: string;
}

function toPath(raw: unknown): Path | undefined {
  if (Array.isArray(raw)) return raw.filter((p): p is string | number => typeof p === 'string' || typeof p === 'number');
  if (typeof raw === 'string') {
    const parts = raw
      .replace(/\[(\d+)\]/g, '.$1')
      .split(/[./]/)
      .filter(Boolean);
    return parts.map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  }
  return undefined;
}

/**
 * The issues carried by an error's `details`: an array of zod issues ({ path, message }), an object
 * with `issues`, or BAD_VARIABLE-style { variable, message } entries.
 */
export function issuesFromDetails(details: unknown): Issue[] {
  const list = Array.isArray(details) ? details : isRecord(details) && Array.isArray(details.issues) ? details.issues : [];
  const out: Issue[] = [];
  for (const item of list) {
    if (!isRecord(item) || typeof item.message !== 'string') continue;
    const path = toPath(item.path) ?? (typeof item.variable === 'string' ? [item.variable] : []);
    out.push({ path, message: item.message });
  }
  return out;
}

export interface AssignedIssues {
  /** messages by the pathKey of the field they belong to */
  byPath: Map<string, string>;
  /** issues that match no drawn field: shown above the form */
  general: Issue[];
}

/**
 * Matches each issue to the deepest drawn field its path points into. An issue path may be relative to
 * the whole object or to a section (the engine may validate a connector's `config` alone), so each
 * `prefixes` entry is tried in front of it too.
 */
export function assignIssues(issues: readonly Issue[], drawn: ReadonlySet<string>, prefixes: readonly Path[] = []): AssignedIssues {
  const byPath = new Map<string, string>();
  const general: Issue[] = [];
  for (const issue of issues) {
    let best: Path | undefined;
    const candidates = [{ path: issue.path, min: 1 }, ...prefixes.filter((p) => p.length > 0).map((p) => ({ path: [...p, ...issue.path], min: p.length + 1 }))];
    for (const { path: candidate, min } of candidates) {
      // a prefixed path must reach into the section, not stop at its root
      for (let n = candidate.length; n >= min; n--) {
        const sub = candidate.slice(0, n);
        if (drawn.has(pathKey(sub))) {
          if (!best || sub.length > best.length) best = sub;
          break;
        }
      }
    }
    if (!best) {
      general.push(issue);
      continue;
    }
    const key = pathKey(best);
    const previous = byPath.get(key);
    byPath.set(key, previous && previous !== issue.message ? `${previous}; ${issue.message}` : issue.message);
  }
  return { byPath, general };
}
