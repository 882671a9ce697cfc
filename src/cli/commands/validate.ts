import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadProject } from '../../project/index.js';
import { formatProblem } from '../../model/index.js';
import { processIo, setExit } from '../io.js';
import { failWith } from './fail.js';

export function registerValidate(program: Command): void {
  program
    .command('validate <dir>')
    .description('check a project: exit 0, or print path:line:col: message lines and exit 1')
    .action(async (dir: string) => {
      try {
        const { problems } = await loadProject(resolve(dir));
        for (const p of problems) processIo.err(`${formatProblem(p)}${p.severity === 'warning' ? ' (warning)' : ''}`);
        if (problems.some((p) => p.severity === 'error')) setExit(1);
      } catch (e) {
        failWith(e);
      }
    });
}
