import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Document } from 'yaml';
import { TrellisError } from '../engine/errors.js';
import { MAPPINGS_FILE, mappingsFileSchema, templateSegments, type Mappings, type MappingRoute, type Problem, type Project } from '../model/index.js';
import { writeFileAtomic } from './atomic-write.js';
import { issueFindings, toProblems, type Finding } from './issues.js';
import { formatPath, parseYaml, STRINGIFY_OPTIONS, type ParsedYaml } from './yaml-io.js';

export interface MappingsResult {
  /** undefined when the project has no mappings.yaml, or when it cannot be used (problems say why) */
  mappings: Mappings | undefined;
  problems: Problem[];
}

/** The shape of a route for duplicate checks: `GET /users/{}`. */
export function routeShape(method: string, path: string): string {
  return `${method} /${templateSegments(path)
    .map((s) => ('param' in s ? '{}' : s.literal))
    .join('/')}`;
}

/** Rules the schema cannot state: parameters bound from the path exist in it; no two routes share a shape. */
function mappingFindings(m: Mappings): Finding[] {
  const out: Finding[] = [];
  const shapes = new Map<string, number>();
  m.routes.forEach((route: MappingRoute, i) => {
    const here = ['routes', i];
    const names = new Set(templateSegments(route.path).flatMap((s) => ('param' in s ? [s.param] : [])));
    for (const [wire, binding] of Object.entries(route.params ?? {})) {
      if (binding.from === 'path' && !names.has(wire))
        out.push({ path: [...here, 'params', wire], target: 'key', message: `${formatPath([...here, 'params', wire])}: from: path, but ${route.path} has no {${wire}}` });
    }
    const shape = routeShape(route.method, route.path);
    const first = shapes.get(shape);
    if (first !== undefined) out.push({ path: [...here, 'path'], message: `${formatPath(here)}: ${route.method} ${route.path} overlaps routes[${first}] (${m.routes[first]!.path})` });
    else shapes.set(shape, i);
  });
  return out;
}

/** Reads `<dir>/mappings.yaml` with positions: a broken file is a list of problems, never an exception. */
export async function readMappings(dir: string): Promise<MappingsResult> {
  let text: string;
  try {
    text = await readFile(join(dir, MAPPINGS_FILE), 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { mappings: undefined, problems: [] };
    return { mappings: undefined, problems: [{ file: MAPPINGS_FILE, line: 0, col: 0, severity: 'error', message: `cannot be read (${code ?? String(e)})` }] };
  }
  return parseMappings(text);
}

/** Parses the text of a mappings.yaml with positioned problems (the studio checks an edit with it before saving). */
export function parseMappings(text: string): MappingsResult & { parsed: ParsedYaml } {
  const parsed = parseYaml(MAPPINGS_FILE, text, 'a map with basePath and routes');
  const problems = [...parsed.problems];
  if (!parsed.value) return { mappings: undefined, problems, parsed };
  const result = mappingsFileSchema.safeParse(parsed.value);
  const findings = result.success ? mappingFindings(result.data) : issueFindings(result.error.issues, parsed.value, mappingsFileSchema);
  problems.push(...toProblems(parsed, findings));
  const ok = result.success && !findings.some((f) => (f.severity ?? 'error') === 'error');
  return { mappings: ok ? result.data : undefined, problems, parsed };
}

/** Problems of routes whose target the project lacks (a runtime refuses to start with them). */
export function mappingTargetProblems(project: Project, mappings: Mappings): string[] {
  return missingTargets(project, mappings).map(({ index, message }) => {
    const r = mappings.routes[index]!;
    return `${MAPPINGS_FILE}: routes[${index}] (${r.method} ${r.path}): ${message}`;
  });
}

/** The routes whose target the project lacks, by index, with why. */
export function missingTargets(project: Project, mappings: Mappings): Array<{ index: number; message: string }> {
  const out: Array<{ index: number; message: string }> = [];
  mappings.routes.forEach((r, index) => {
    if ('sequence' in r.target) {
      const name = r.target.sequence;
      if (!project.sequences.some((s) => s.name === name)) out.push({ index, message: `project ${project.name} has no sequence "${name}"` });
    } else {
      const [c, ...rest] = r.target.transaction.split('.');
      const connector = project.connectors.find((x) => x.name === c);
      if (!connector?.transactions.some((t) => t.name === rest.join('.'))) out.push({ index, message: `project ${project.name} has no transaction "${r.target.transaction}"` });
    }
  });
  return out;
}

const ROUTE_KEYS = ['method', 'path', 'target', 'description', 'params', 'response'];

/** Writes mappings.yaml atomically, keys in a stable order; refuses an invalid model. */
export async function writeMappings(dir: string, mappings: Mappings): Promise<void> {
  const checked = mappingsFileSchema.safeParse(mappings);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    throw new TrellisError('INVALID_PROJECT', `${MAPPINGS_FILE}: ${formatPath(issue.path.filter((s) => typeof s !== 'symbol') as Array<string | number>)}: ${issue.message}`);
  }
  const value: Record<string, unknown> = {};
  if (checked.data.basePath !== undefined) value.basePath = checked.data.basePath;
  value.routes = checked.data.routes.map((r) => {
    const record = r as Record<string, unknown>;
    return Object.fromEntries(ROUTE_KEYS.filter((k) => record[k] !== undefined).map((k) => [k, record[k]]));
  });
  const doc = new Document(value);
  await writeFileAtomic(join(dir, MAPPINGS_FILE), doc.toString(STRINGIFY_OPTIONS));
}
