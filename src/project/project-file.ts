import { FORMAT_VERSION, nameSchema, projectFileSchema, type Problem, type ProjectFile } from '../model/index.js';
import { describe, issueFindings, toProblems } from './issues.js';
import { positionOf, type ParsedYaml } from './yaml-io.js';

/** What trellis.yaml tells before the objects are read: above all, which format they are in. */
export interface ProjectHead {
  parsed: ParsedYaml;
  problems: Problem[];
  /** the format the object files are in; undefined when they must not be read (a newer format) */
  version: number | undefined;
  fields: ProjectFile;
  /** the validated fields of trellis.yaml once migrated to the current format */
  complete(migrated: unknown, problems: Problem[]): ProjectFile;
}

export function readProjectFile(parsed: ParsedYaml, fallbackName: string): ProjectHead {
  const problems = [...parsed.problems];
  const value = parsed.value ?? {};
  const name = nameSchema.safeParse(value.name).success ? (value.name as string) : fallbackName;
  const fields: ProjectFile = { name, formatVersion: FORMAT_VERSION };
  if (typeof value.description === 'string') fields.description = value.description;
  const problem = (message: string, severity: Problem['severity']) =>
    problems.push({ file: parsed.file, ...positionOf(parsed, ['formatVersion']), message, severity });

  // A trellis.yaml that cannot be read still lets the objects open, read as the current format:
  // the error above says the file needs fixing.
  let version: number | undefined = FORMAT_VERSION;
  const declared = value.formatVersion;
  if (parsed.value && declared === undefined) {
    // Projects written before formatVersion existed are version 0.
    version = 0;
  } else if (declared !== undefined && (typeof declared !== 'number' || !Number.isInteger(declared) || declared < 0)) {
    problem(`formatVersion: expected a whole number such as ${FORMAT_VERSION}, got ${describe(declared)}; read as formatVersion ${FORMAT_VERSION}`, 'error');
  } else if (typeof declared === 'number' && declared > FORMAT_VERSION) {
    problem(
      `formatVersion ${declared} is newer than this Trellis supports (formatVersion ${FORMAT_VERSION} and older): update Trellis to open this project. ` +
        'Its connectors and sequences were not read, and saving it is refused so that they are not overwritten.',
      'error',
    );
    fields.formatVersion = declared;
    version = undefined;
  } else if (typeof declared === 'number') {
    version = declared;
  }
  if (version !== undefined && version < FORMAT_VERSION)
    problem(`formatVersion ${version} is older than this Trellis's (${FORMAT_VERSION}): the project was migrated in memory, and the next save writes formatVersion ${FORMAT_VERSION}`, 'warning');

  return {
    parsed,
    problems,
    version,
    fields,
    complete(migrated, into) {
      if (!parsed.value) return fields;
      const candidate = { ...(migrated as object), formatVersion: FORMAT_VERSION };
      const result = projectFileSchema.safeParse(candidate);
      if (result.success) return result.data;
      into.push(...toProblems(parsed, issueFindings(result.error.issues, candidate, projectFileSchema)));
      return salvage(candidate as Record<string, unknown>, fields);
    },
  };
}

/** Keeps every field of a partly invalid trellis.yaml that is valid on its own. */
function salvage(value: Record<string, unknown>, fields: ProjectFile): ProjectFile {
  const out: Record<string, unknown> = { ...fields, formatVersion: FORMAT_VERSION };
  for (const [key, schema] of Object.entries(projectFileSchema.shape)) {
    if (key === 'name' || key === 'formatVersion') continue;
    const result = schema.safeParse(value[key]);
    if (result.success && result.data !== undefined) out[key] = result.data;
  }
  return out as ProjectFile;
}
