import { routeBindings, templateSegments, unboundSource, type MappingRoute, type RouteBinding } from '../model/index.js';
import type { Deployment } from './deployments.js';
import { HttpError } from './errors.js';
import type { Target } from './invoke.js';

/**
 * The routes of every project's mappings.yaml, matched by hand rather than registered in fastify: a deploy
 * swaps the whole table at once (fastify cannot remove routes), and a request keeps the table — so the
 * deployment — it matched, to the end.
 */

type Segment = { literal: string } | { param: string };

export interface CompiledRoute {
  deployment: Deployment;
  route: MappingRoute;
  method: string;
  segments: Segment[];
  bindings: RouteBinding[];
  unbound: 'query' | 'body';
  /** `GET /shop/users/{id}`: the metrics label and the name in messages */
  label: string;
  /** a binding takes the whole body (`$`) */
  wholeBody: boolean;
  /** the request body is read: unbound variables come from it, or a binding names a body key */
  readsBody: boolean;
  /** what the request runs, resolved once (the deployment's project never changes); undefined for a sequence the project lacks */
  target: Target | undefined;
}

/** First path segments the runtime keeps for itself. */
const RESERVED = new Set(['projects', 'health', 'metrics', 'admin']);

function compile(deployment: Deployment): CompiledRoute[] {
  const base = templateSegments(deployment.mappingBase);
  return (deployment.mappings?.routes ?? []).map((route) => {
    const segments = [...base, ...templateSegments(route.path)];
    const path = `/${segments.map((s) => ('param' in s ? `{${s.param}}` : s.literal)).join('/')}`;
    const bindings = routeBindings(route);
    const unbound = unboundSource(route.method);
    const wholeBody = bindings.some((b) => b.from === 'body' && b.wire === '$');
    const readsBody = !wholeBody && (unbound === 'body' || bindings.some((b) => b.from === 'body'));
    return { deployment, route, method: route.method, segments, bindings, unbound, label: `${route.method} ${path}`, wholeBody, readsBody, target: targetOf(deployment, route) };
  });
}

function targetOf(deployment: Deployment, route: MappingRoute): Target | undefined {
  const target = route.target;
  if ('sequence' in target) {
    const sequence = deployment.project.sequences.find((s) => s.name === target.sequence);
    if (!sequence) return undefined;
    return { kind: 'sequence', name: sequence.name, key: `sequence ${sequence.name}`, sequence };
  }
  return { kind: 'transaction', name: target.transaction, key: `transaction ${target.transaction}` };
}

/** Literal segments first, then earlier literals: `/users/me` is tried before `/users/{id}`. */
function specificity(r: CompiledRoute): string {
  return r.segments.map((s) => ('param' in s ? '1' : '0')).join('');
}

function overlap(a: CompiledRoute, b: CompiledRoute): boolean {
  if (a.method !== b.method || a.segments.length !== b.segments.length) return false;
  return a.segments.every((s, i) => {
    const t = b.segments[i]!;
    return 'param' in s || 'param' in t || s.literal === t.literal;
  });
}

/** Why these deployments cannot be served together: routes of two projects that can match the same request, reserved paths. */
export function mappingConflicts(deployments: readonly Deployment[]): string[] {
  const out: string[] = [];
  const all = deployments.flatMap(compile);
  for (const r of all) {
    const first = r.segments[0];
    if (first && 'literal' in first && RESERVED.has(first.literal))
      out.push(`project ${r.deployment.name}: mapping ${r.label} is under /${first.literal}, which the runtime keeps for itself (set basePath in mappings.yaml)`);
  }
  for (let i = 0; i < all.length; i++)
    for (let j = i + 1; j < all.length; j++) {
      const a = all[i]!;
      const b = all[j]!;
      if (a.deployment !== b.deployment && overlap(a, b))
        out.push(`mapping ${a.label} of project ${a.deployment.name} overlaps ${b.label} of project ${b.deployment.name}: give one project another basePath in its mappings.yaml`);
    }
  return out;
}

export type MatchResult = { route: CompiledRoute; params: Record<string, string> } | { allowed: string[] } | undefined;

export class MappingTable {
  private readonly byLength = new Map<number, CompiledRoute[]>();

  constructor(deployments: readonly Deployment[]) {
    for (const r of deployments.flatMap(compile)) {
      const list = this.byLength.get(r.segments.length) ?? [];
      list.push(r);
      this.byLength.set(r.segments.length, list);
    }
    for (const list of this.byLength.values()) list.sort((a, b) => (specificity(a) < specificity(b) ? -1 : specificity(a) > specificity(b) ? 1 : 0));
  }

  get size(): number {
    let n = 0;
    for (const list of this.byLength.values()) n += list.length;
    return n;
  }

  /** The route for a method and a raw path (percent-encoded, without the query); `{allowed}` when only the method differs. */
  match(method: string, rawPath: string): MatchResult {
    const parts = rawPath.split('/').filter((p, i) => i > 0 || p !== '');
    if (parts.length && parts[parts.length - 1] === '') parts.pop();
    const candidates = this.byLength.get(parts.length);
    if (!candidates) return undefined;
    const decoded = parts.map(decodeSegment);
    let allowed: string[] | undefined;
    // (no closure or object per candidate: a project's table may hold dozens of routes of one length)
    for (const r of candidates) {
      if (!segmentsMatch(r.segments, decoded)) continue;
      if (r.method === method) {
        const params: Record<string, string> = {};
        for (let i = 0; i < r.segments.length; i++) {
          const s = r.segments[i]!;
          if (!('param' in s)) continue;
          const v = decoded[i]!;
          params[s.param] = v;
        }
        for (const v of Object.values(params)) if (v.includes('/') || v === '.' || v === '..') throw new HttpError(400, 'BAD_REQUEST', `a path parameter may not be "${v}"`);
        return { route: r, params };
      }
      (allowed ??= []).push(r.method);
    }
    return allowed ? { allowed: [...new Set(allowed)] } : undefined;
  }
}

/** Literals equal, parameters not empty. */
function segmentsMatch(segments: readonly Segment[], decoded: readonly string[]): boolean {
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    if ('param' in s ? decoded[i] === '' : s.literal !== decoded[i]) return false;
  }
  return true;
}

function decodeSegment(segment: string): string {
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, 'BAD_REQUEST', `the path segment "${segment.slice(0, 60)}" is not valid percent-encoding`);
  }
}
