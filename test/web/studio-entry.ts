// A stand-in for src/cli/main.ts in tests: a program with only the studio command.
import { Command } from 'commander';
import { registerStudio } from '../../src/cli/commands/studio.js';

const program = new Command('trellis');
registerStudio(program);
await program.parseAsync(process.argv);
