#!/usr/bin/env node
// Runs a TypeScript entry (scripts, benchmarks) with tsx, in-process, so servers it starts are direct children.
import { register } from 'tsx/esm/api';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

register();
const entry = process.argv[2];
if (!entry) {
  console.error('usage: run-ts.mjs <file.ts> [args...]');
  process.exit(1);
}
process.argv.splice(1, 1);
await import(pathToFileURL(resolve(entry)).href);
