import type { Command } from 'commander';
import { isTrellisError } from '../../engine/errors.js';
import { generateCrud, type CrudOutcome } from '../../generate/crud-project.js';
import { processIo, setExit } from '../io.js';
import { failWith } from './fail.js';

/** Errors in what the command was asked (unknown connector or table, a connector of another kind): exit 2. */
const INPUT_ERRORS = new Set(['NOT_FOUND', 'BAD_VARIABLE', 'INVALID_CONFIG']);

/** `trellis generate crud <dir> <connector> [--tables a,b] [--json]`, under `program.command('generate')`. */
export function registerGenerateCrud(generate: Command): void {
  generate
    .command('crud <dir> <connector>')
    .description(
      "generate database services from a SQL connector's tables: list/get/create/update/delete transactions, sequences that expose them, REST mappings (GET|POST /<table>, GET|PUT|DELETE /<table>/{id}) and output schemas; existing objects of the same names are kept",
    )
    .option('--tables <names>', 'only these tables (comma-separated); default: every table')
    .option('--json', 'print { created, skipped, warnings, written } as JSON', false)
    .action(async (dir: string, connector: string, opts: { tables?: string; json: boolean }) => {
      try {
        const tables = opts.tables === undefined ? undefined : opts.tables.split(',').map((t) => t.trim()).filter(Boolean);
        const outcome = await generateCrud(dir, connector, { tables });
        if (opts.json) processIo.out(JSON.stringify(outcome));
        else processIo.out(summary(connector, outcome));
      } catch (e) {
        failWith(e);
        if (isTrellisError(e) && INPUT_ERRORS.has(e.code)) setExit(2);
      }
    });
}

/** One line, then the warnings (stderr), so scripts can read the line. */
function summary(connector: string, o: CrudOutcome): string {
  for (const w of o.warnings) processIo.err(`warning: ${w}`);
  for (const s of o.skipped) processIo.err(`skipped: ${s}`);
  const count = (kind: string) => o.created.filter((c) => c.startsWith(`${kind} `)).length;
  return `generated crud for ${connector}: ${count('transaction')} transactions, ${count('sequence')} sequences, ${count('route')} routes created; ${o.skipped.length} skipped (already there); ${o.warnings.length} warning${o.warnings.length === 1 ? '' : 's'}`;
}
