import { basename, resolve } from 'node:path';
import type { Command } from 'commander';
import { BUNDLE_EXT, exportBundle } from '../../bundle/index.js';
import { processIo } from '../io.js';
import { failWith } from './fail.js';

export function registerExport(program: Command): void {
  program
    .command('export <dir>')
    .description('write the project as one deployable bundle (manifest with SHA-256 of every file and the env names it needs; never .env or secrets)')
    .option('-o, --output <file>', `the bundle to write (default: <project folder name>${BUNDLE_EXT})`)
    .option('--bundle-version <v>', 'the version written in the manifest (default: a hash of the content)')
    .action(async (dir: string, opts: { output?: string; bundleVersion?: string }) => {
      try {
        const out = resolve(opts.output ?? `${basename(resolve(dir))}${BUNDLE_EXT}`);
        const result = await exportBundle(dir, out, { version: opts.bundleVersion });
        for (const s of result.skipped) processIo.err(`trellis export: skipped ${s.path}: ${s.reason}`);
        const m = result.manifest;
        const env = m.env.length ? `; needs env ${m.env.join(', ')}` : '';
        processIo.out(`${result.file}: ${m.name} ${m.version}, ${Object.keys(m.files).length} files${env}`);
      } catch (e) {
        failWith(e);
      }
    });
}
