import { Command, CommanderError } from 'commander';
import { registerNew } from './commands/new.js';
import { registerAddConnector } from './commands/add-connector.js';
import { registerAddTransaction } from './commands/add-transaction.js';
import { registerIntrospect } from './commands/introspect.js';
import { registerRun } from './commands/run.js';
import { registerValidate } from './commands/validate.js';
import { registerStudio } from './commands/studio.js';

export function buildProgram(): Command {
  const program = new Command('trellis')
    .description('Trellis: connect backends, combine them into services, test them and ship them as REST APIs')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerNew(program);
  const add = program.command('add').description('add objects to a project');
  registerAddConnector(add);
  registerAddTransaction(add);
  registerRun(program);
  registerValidate(program);
  registerIntrospect(program);
  registerStudio(program);
  return program;
}

/** Runs the CLI and resolves to its exit code (0 ok, 1 failure, 2 backend error status). */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 1;
    throw e;
  }
  return (process.exitCode as number | undefined) ?? 0;
}
