import { describe, expect, it } from 'vitest';
import { isTrellisError } from '../../src/engine/errors.js';
import { formatProblem, type Problem } from '../../src/model/index.js';
import { tempDir, writeFiles, yaml, loadFormat } from './helpers/temp.js';

const PROJECT = yaml`
  name: shop
  formatVersion: 1
`;

const GOOD = yaml`
  name: good
  kind: http
  transactions:
    - name: ping
      variables:
        - { name: id, type: integer }
`;

/** Loads a project made of trellis.yaml, connectors/good.yaml and the given files. */
async function load(files: Record<string, string>) {
  const dir = await tempDir();
  await writeFiles(dir, { 'trellis.yaml': PROJECT, 'connectors/good.yaml': GOOD, ...files });
  return loadFormat(dir);
}

const lines = (problems: Problem[]) => problems.map(formatProblem);
const errors = (problems: Problem[]) => problems.filter((p) => p.severity === 'error');

describe('loadProject problems', () => {
  it('reports a YAML syntax error with its line and column and still loads the other connectors', async () => {
    const { project, problems } = await load({
      'connectors/broken.yaml': yaml`
        name: broken
        kind: http
        config:
          host: [a, b
        transactions: []
      `,
    });
    expect(project.connectors.map((c) => c.name)).toEqual(['good']);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: 'connectors/broken.yaml', line: 5, col: 1, severity: 'error' });
    expect(problems[0]!.message).toMatch(/^YAML syntax: Flow sequence in block collection must be sufficiently indented and end with a \]/);
  });

  it('names the file, line, column, path, what was expected and what was found for a wrong type', async () => {
    const { project, problems } = await load({
      'connectors/api.yaml': yaml`
        name: api
        kind: http
        transactions:
          - name: getUser
            variables:
              - { name: id, type: integer }
              - { name: fields, type: int }
              - name: verbose
                required: "yes"
      `,
    });
    expect(project.connectors.map((c) => c.name)).toEqual(['good']);
    expect(lines(problems)).toEqual([
      'connectors/api.yaml:7:31: transactions[0].variables[1].type: expected one of string, integer, number, boolean, json, file, got "int"',
      'connectors/api.yaml:9:19: transactions[0].variables[2].required: expected true or false, got "yes"',
    ]);
  });

  it('points an unknown key at the key, suggests the close one and lists the known ones', async () => {
    const { problems } = await load({
      'connectors/typo.yaml': yaml`
        name: typo
        kind: http
        descripton: the catalogue
      `,
      'sequences/card.yaml': yaml`
        name: card
        steps:
          - id: a
            kind: js
            prop: { code: "1" }
      `,
    });
    expect(lines(problems)).toEqual([
      'connectors/typo.yaml:3:1: unknown key "descripton" (did you mean "description"?); expected one of name, kind, description, config, transactions',
      'sequences/card.yaml:5:5: steps[0]: unknown key "prop" (did you mean "props"?); expected one of id, kind, description, disabled, props, steps',
    ]);
  });

  it('points a missing required key at the map that lacks it', async () => {
    const { project, problems } = await load({
      'connectors/nokind.yaml': yaml`
        name: nokind
        config: { host: example.com }
        transactions:
          - type: json
            method: GET
      `,
    });
    expect(project.connectors.map((c) => c.name)).toEqual(['good']);
    expect(lines(problems)).toEqual([
      'connectors/nokind.yaml:1:1: missing required key "kind"',
      'connectors/nokind.yaml:4:5: transactions[0]: missing required key "name"',
    ]);
  });

  it('reports values that break a rule with the rule and the value', async () => {
    const { problems } = await load({
      'sequences/s.yaml': yaml`
        name: s
        variables:
          - { name: "1st", type: string }
        steps:
          - { id: my-step, kind: js }
      `,
    });
    expect(lines(problems)).toEqual([
      'sequences/s.yaml:3:13: variables[0].name: a name starts with a letter or _ and holds only letters, digits, _ . -, got "1st"',
      'sequences/s.yaml:5:11: steps[0].id: a step id starts with a letter or _ and holds only letters, digits and _, got "my-step"',
    ]);
  });

  it('reports duplicate names and skips the object', async () => {
    const { project, problems } = await load({
      'connectors/dup.yaml': yaml`
        name: dup
        kind: http
        transactions:
          - name: a
          - name: b
            variables:
              - { name: x }
              - { name: x }
          - name: a
      `,
      'sequences/steps.yaml': yaml`
        name: steps
        steps:
          - id: one
            kind: if
            steps:
              - { id: one, kind: js }
      `,
    });
    expect(project.connectors.map((c) => c.name)).toEqual(['good']);
    expect(project.sequences).toEqual([]);
    expect(lines(problems)).toEqual([
      'connectors/dup.yaml:8:17: transactions[1].variables[1].name: duplicate variable name "x" (first at transactions[1].variables[0])',
      'connectors/dup.yaml:9:11: transactions[2].name: duplicate transaction name "a" (first at transactions[0])',
      'sequences/steps.yaml:6:15: steps[0].steps[0].id: duplicate step id "one" (first at steps[0]); step ids are unique in a sequence because sources name them',
    ]);
  });

  it('reports an empty file, a file that is not a map and a duplicate key', async () => {
    const { project, problems } = await load({
      'connectors/empty.yaml': '# nothing yet\n',
      'connectors/list.yaml': '- name: list\n',
      'sequences/twice.yaml': 'name: twice\nexposed: true\nexposed: false\n',
    });
    expect(project.connectors.map((c) => c.name)).toEqual(['good']);
    expect(project.sequences).toEqual([]);
    expect(lines(problems)).toEqual([
      'connectors/empty.yaml:0:0: the file is empty; expected a map with name, kind, config and transactions',
      'connectors/list.yaml:1:1: expected a map with name, kind, config and transactions, got a list',
      'sequences/twice.yaml:3:1: YAML syntax: Map keys must be unique',
    ]);
  });

  it('ignores files that are not objects: other extensions, hidden and temporary files', async () => {
    const { project, problems } = await load({
      'connectors/README.md': '# notes\n',
      'connectors/.good.yaml.123.0123456789ab.tmp': 'name: good\nkind: htt',
      'connectors/.hidden.yaml': 'not: [valid',
      'connectors/old.yml': GOOD,
    });
    expect(project.connectors.map((c) => c.name)).toEqual(['good']);
    expect(lines(problems)).toEqual(['connectors/old.yml:0:0: ignored: Trellis reads connectors/*.yaml; rename the file to old.yaml']);
  });

  it('lets the file name win over a different name inside, with a warning', async () => {
    const { project, problems } = await load({
      'connectors/copy.yaml': GOOD,
      'sequences/unnamed.yaml': 'exposed: false\n',
    });
    expect(project.connectors.map((c) => c.name)).toEqual(['copy', 'good']);
    expect(project.sequences.map((s) => s.name)).toEqual(['unnamed']);
    expect(errors(problems)).toEqual([]);
    expect(lines(problems)).toEqual([
      'connectors/copy.yaml:1:7: name: "good" differs from the file name; using "copy" (rename the file to rename the object)',
      'sequences/unnamed.yaml:1:1: missing key "name"; using the file name "unnamed"',
    ]);
  });

  it('refuses a file name that is not a valid name', async () => {
    const { project, problems } = await load({ 'connectors/my api.yaml': GOOD });
    expect(project.connectors.map((c) => c.name)).toEqual(['good']);
    expect(lines(problems)).toEqual([
      'connectors/my api.yaml:0:0: the file name "my api" is not a valid name: a name starts with a letter or _ and holds only letters, digits, _ . -; rename the file',
    ]);
  });

  it('keeps the valid fields of a partly invalid trellis.yaml and still opens the objects', async () => {
    const dir = await tempDir();
    await writeFiles(dir, {
      'trellis.yaml': yaml`
        name: shop
        formatVersion: 1
        description: [not, text]
        environments: { dev: { HOST: localhost } }
        owner: me
      `,
      'connectors/good.yaml': GOOD,
    });
    const { project, problems } = await loadFormat(dir);
    expect(project).toMatchObject({ name: 'shop', formatVersion: 1, environments: { dev: { HOST: 'localhost' } } });
    expect(project.description).toBeUndefined();
    expect(project.connectors.map((c) => c.name)).toEqual(['good']);
    expect(lines(problems)).toEqual([
      'trellis.yaml:3:14: description: expected a string, got a list',
      'trellis.yaml:5:1: unknown key "owner"; expected one of name, formatVersion, description, environments, log, runtime',
    ]);
  });

  it('names the project after its folder when trellis.yaml cannot be read', async () => {
    const dir = await tempDir();
    await writeFiles(dir, { 'trellis.yaml': 'name: [shop\n', 'connectors/good.yaml': GOOD });
    const { project, problems } = await loadFormat(dir);
    expect(project.name).toMatch(/^trellis-project-/);
    expect(project.connectors.map((c) => c.name)).toEqual(['good']);
    expect(errors(problems)).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: 'trellis.yaml', line: 2, severity: 'error' });
  });

  it('throws NOT_FOUND for a missing folder or a folder without trellis.yaml', async () => {
    const dir = await tempDir();
    for (const target of [dir, `${dir}/nowhere`]) {
      const error = await loadFormat(target).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isTrellisError(error) && error.code).toBe('NOT_FOUND');
    }
    await expect(loadFormat(dir)).rejects.toThrow(/has no trellis\.yaml/);
  });
});
