// Child process of the SIGKILL test (atomic-write.test.ts). Warms up by saving into a scratch
// folder, says "ready", waits for "go" on stdin, then saves the project forever with new content
// each time, saying "saved" after the first save, until the parent kills it.
// Usage: node bin/run-ts.mjs save-loop.ts <project-dir> <run> <scratch-dir>
import { saveProject } from '../../../src/project/index.js';
import { bigProject } from './big-project.js';

const [dir, run, scratch] = process.argv.slice(2);
if (!dir || !run || !scratch) throw new Error('usage: save-loop.ts <project-dir> <run> <scratch-dir>');

// One save compiles the code paths (it parses what it wrote to check it), so the kills land in
// saves at full speed rather than in the first, slow one.
await saveProject(bigProject(scratch, `${run}.warm`));
process.stdout.write('ready\n');
await new Promise((resolve) => process.stdin.once('data', resolve));

for (let i = 0; ; i++) {
  await saveProject(bigProject(dir, `${run}.${i}`));
  if (i === 0) process.stdout.write('saved\n');
}
