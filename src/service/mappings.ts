import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { MappingsState, MappingRouteInfo } from '../contract/index.js';
import { TrellisError } from '../engine/errors.js';
import { MAPPINGS_FILE, formatProblem, type Mappings, type Problem, type Project } from '../model/index.js';
import { writeFileAtomic } from '../project/atomic-write.js';
import { missingTargets, parseMappings } from '../project/mappings.js';
import { positionOf, type ParsedYaml } from '../project/yaml-io.js';

export type WhileWriting = <T>(write: () => Promise<T>) => Promise<T>;

async function readText(dir: string): Promise<string> {
  try {
    return await readFile(join(dir, MAPPINGS_FILE), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw new TrellisError('INVALID_PROJECT', `${MAPPINGS_FILE} cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
}

function joinPath(base: string, path: string): string {
  if (base === '/') return path;
  return path === '/' ? base : `${base}${path}`;
}

function routeInfos(mappings: Mappings, parsed: ParsedYaml, basePath: string): MappingRouteInfo[] {
  return mappings.routes.map((r, i) => ({
    method: r.method,
    path: r.path,
    fullPath: joinPath(basePath, r.path),
    target: r.target,
    status: r.response?.status ?? 200,
    ...(r.response?.emptyStatus === undefined ? {} : { emptyStatus: r.response.emptyStatus }),
    line: positionOf(parsed, ['routes', i]).line,
  }));
}

/** What the studio shows of a mappings text: routes, problems with lines (incl. targets the project lacks), base path. */
export function mappingsState(project: Project, text: string): MappingsState {
  const defaultBase = `/${project.name}`;
  if (text.trim() === '') return { text, routes: [], problems: [], basePath: defaultBase };
  const { mappings, problems, parsed } = parseMappings(text);
  if (!mappings) return { text, routes: [], problems, basePath: defaultBase };
  const basePath = mappings.basePath ?? defaultBase;
  const targetProblems: Problem[] = missingTargets(project, mappings).map(({ index, message }) => ({
    file: MAPPINGS_FILE,
    ...positionOf(parsed, ['routes', index, 'target']),
    message: `routes[${index}]: ${message}; the runtime refuses to start until it exists`,
    severity: 'error',
  }));
  return { text, routes: routeInfos(mappings, parsed, basePath), problems: [...problems, ...targetProblems], basePath };
}

/** mappings.get */
export async function getMappings(project: Project): Promise<MappingsState> {
  return mappingsState(project, await readText(project.dir));
}

/**
 * mappings.save: the text is checked with the parser the runtime uses; YAML and schema errors refuse the save
 * (the first one named by line and column), a missing target does not (it may be created next).
 */
export async function saveMappings(project: Project, text: string, whileWriting: WhileWriting): Promise<MappingsState> {
  const path = join(project.dir, MAPPINGS_FILE);
  if (text.trim() === '') {
    await whileWriting(() => rm(path, { force: true }));
    return mappingsState(project, '');
  }
  const { mappings, problems } = parseMappings(text);
  const errors = problems.filter((p) => p.severity === 'error');
  if (!mappings || errors.length > 0) {
    const first = errors[0] ?? problems[0];
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
    throw new TrellisError('INVALID_PROJECT', `not saved: ${first ? formatProblem(first) : `${MAPPINGS_FILE}: not valid`}${more}`, { details: { problems } });
  }
  await whileWriting(() => writeFileAtomic(path, text.endsWith('\n') ? text : `${text}\n`));
  return mappingsState(project, text.endsWith('\n') ? text : `${text}\n`);
}
