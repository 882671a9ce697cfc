// Runs every bench/*.bench.ts in its own process (so peak RSS is per benchmark) and prints what each reports.
// `npm run bench [name...]` runs only the named ones. Benchmarks print ratios; they never fail the build.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const here = resolve(import.meta.dirname);
const wanted = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort();

for (const file of files) {
  console.log(`\n== ${file.replace(/\.bench\.ts$/, '')}`);
  const r = spawnSync(process.execPath, [join(here, '../bin/run-ts.mjs'), join(here, file)], { stdio: 'inherit' });
  if (r.status !== 0) console.log(`(${file} exited with ${r.status ?? r.signal})`);
}
