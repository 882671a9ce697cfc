import { Command, CommanderError } from 'commander';

type Register = (program: Command) => void;

/**
 * Commands by their first word, each loaded only when used: `trellis run` does not pay for the studio's
 * web server or the runtime's fastify. Help and unknown words load them all.
 */
const commands: Record<string, () => Promise<Register[]>> = {
  new: async () => [(await import('./commands/new.js')).registerNew],
  add: async () => {
    const [connector, transaction] = await Promise.all([import('./commands/add-connector.js'), import('./commands/add-transaction.js')]);
    return [
      (program) => {
        const add = program.command('add').description('add objects to a project');
        connector.registerAddConnector(add);
        transaction.registerAddTransaction(add);
      },
    ];
  },
  run: async () => [(await import('./commands/run.js')).registerRun],
  debug: async () => [(await import('./commands/debug.js')).registerDebug],
  test: async () => [(await import('./commands/test.js')).registerTest],
  validate: async () => [(await import('./commands/validate.js')).registerValidate],
  introspect: async () => [(await import('./commands/introspect.js')).registerIntrospect],
  generate: async () => {
    const crud = await import('./commands/generate-crud.js');
    return [(program) => crud.registerGenerateCrud(program.command('generate').description('generate services from what a connector describes'))];
  },
  studio: async () => [(await import('./commands/studio.js')).registerStudio],
  export: async () => [(await import('./commands/export.js')).registerExport],
  serve: async () => [(await import('./commands/serve.js')).registerServe],
  import: async () => {
    const [openapi, wsdl] = await Promise.all([import('./commands/import-openapi.js'), import('./commands/import-wsdl.js')]);
    return [
      (program) => {
        const command = program.command('import').description('import connectors from API descriptions');
        openapi.registerImportOpenApi(command);
        wsdl.registerImportWsdl(command);
      },
    ];
  },
};

export async function buildProgram(argv: string[] = []): Promise<Command> {
  const program = new Command('trellis')
    .description('Trellis: connect backends, combine them into services, test them and ship them as REST APIs')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  const word = argv[2];
  const wanted = word !== undefined && word in commands ? [word] : Object.keys(commands);
  for (const loaders of await Promise.all(wanted.map((name) => commands[name]!()))) for (const register of loaders) register(program);
  return program;
}

/** Runs the CLI and resolves to its exit code (0 ok, 1 failure, 2 backend error status). */
export async function main(argv: string[]): Promise<number> {
  try {
    await (await buildProgram(argv)).parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 1;
    throw e;
  }
  return (process.exitCode as number | undefined) ?? 0;
}
