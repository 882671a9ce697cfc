import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../src/model/index.js';
import { loadProject } from '../../src/project/index.js';
import { tempDir, writeFiles, yaml } from './helpers/temp.js';

describe('loadProject checks each connector against its kind', () => {
  it('reports bad settings and transactions with their line, and keeps the connector so the studio can fix it', async () => {
    const dir = await tempDir();
    await writeFiles(dir, {
      'trellis.yaml': 'name: shop\nformatVersion: 1\n',
      'connectors/api.yaml': yaml`
        name: api
        kind: http
        config:
          host: http://api.example.com
          timeoutMs: soon
        transactions:
          - name: ping
            type: csv
            method: GET
            path: /ping
      `,
      'connectors/other.yaml': 'name: other\nkind: ftp\n',
    });
    const { project, problems } = await loadProject(dir);
    const lines = problems.map(formatProblem);
    expect(lines).toContainEqual(expect.stringMatching(/^connectors\/api\.yaml:4:\d+: config\.host: .*without protocol/));
    expect(lines).toContainEqual(expect.stringMatching(/^connectors\/api\.yaml:5:\d+: config\.timeoutMs: expected a number, got "soon"/));
    expect(lines).toContainEqual(expect.stringMatching(/^connectors\/api\.yaml:8:\d+: transactions\[0\]\.type: .*json, xml, text, binary/));
    expect(lines).toContainEqual(expect.stringMatching(/^connectors\/other\.yaml:2:\d+: kind: unknown connector kind "ftp" \(known kinds: http/));
    expect(project.connectors.map((c) => c.name)).toEqual(['api', 'other']);
  });
});
