#!/usr/bin/env node
// `npm start`: builds the studio, then runs it in Electron when this machine can show a window,
// otherwise in web mode. Arguments go to the studio (`npm start -- ./my-project --port 8080`);
// `--no-build` skips the build. Build output goes to stderr so stdout holds only the mode line(s).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const skipBuild = args.includes('--no-build');
const studioArgs = args.filter((a) => a !== '--no-build');
// With no project folder given, the studio opens the sample project (copied to the user's workspace on first start).
const VALUE_OPTIONS = new Set(['--port', '--host']);
const folders = studioArgs.filter((a, i) => !a.startsWith('-') && !VALUE_OPTIONS.has(studioArgs[i - 1] ?? ''));
if (folders.length === 0 && !studioArgs.includes('--sample')) studioArgs.push('--sample');

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function build() {
  const pkgDir = join(repo, 'node_modules/electron-vite');
  const pkg = readJson(join(pkgDir, 'package.json'));
  const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin['electron-vite'];
  const result = spawnSync(process.execPath, [join(pkgDir, bin), 'build'], { cwd: repo, stdio: ['ignore', process.stderr, process.stderr] });
  if (result.status !== 0) {
    console.error(`trellis: the studio build failed (electron-vite build exited with ${result.status ?? result.signal}); see the messages above`);
    process.exit(1);
  }
}

/** Why Electron cannot run here, or undefined when it can. */
function electronUnavailable() {
  const dir = join(repo, 'node_modules/electron');
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return { reason: 'no Electron binary: node_modules/electron/path.txt is missing' };
  const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  if (!existsSync(binary)) return { reason: `no Electron binary at ${binary}` };
  const hasDisplay = process.platform === 'win32' || process.platform === 'darwin' || !!process.env.DISPLAY || !!process.env.WAYLAND_DISPLAY;
  if (!hasDisplay) return { reason: 'no display: DISPLAY and WAYLAND_DISPLAY are unset' };
  return { binary, version: readJson(join(dir, 'package.json')).version };
}

function run(command, commandArgs) {
  const child = spawn(command, commandArgs, { cwd: process.cwd(), stdio: 'inherit' });
  // The child decides how to stop (the studio disposes its servers and watchers); we only pass the signal on.
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('error', (e) => {
    console.error(`trellis: cannot start ${command}: ${e.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

if (!skipBuild) build();
const electron = electronUnavailable();
if (electron.binary) {
  console.log(`Trellis studio (desktop): Electron ${electron.version}`);
  run(electron.binary, [repo, ...studioArgs]);
} else {
  console.log(`Electron is not available here (${electron.reason}): starting web mode`);
  // TRELLIS_START_CLI lets tests point at another entry; normally it is the trellis command itself.
  const cli = process.env.TRELLIS_START_CLI ? resolve(process.env.TRELLIS_START_CLI) : join(repo, 'bin/trellis.mjs');
  const runner = cli.endsWith('.ts') ? ['--import', 'tsx', cli] : [cli];
  run(process.execPath, [...runner, 'studio', ...studioArgs]);
}
