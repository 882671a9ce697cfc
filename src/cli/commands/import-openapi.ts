import type { Command } from 'commander';
import { importOpenApi } from '../../openapi/import.js';
import type { ImportProgress, ImportSummary, ImportWarning } from '../../openapi/types.js';
import { processIo } from '../io.js';
import { failWith } from './fail.js';

interface Options {
  connector?: string;
  dryRun?: boolean;
  json?: boolean;
  server?: string;
}

/** `trellis import openapi <dir> <fileOrUrl>`: the lead wires it under `program.command('import')`. */
export function registerImportOpenApi(importCommand: Command): void {
  importCommand
    .command('openapi <dir> <fileOrUrl>')
    .description('import an OpenAPI 3.x or Swagger 2.0 spec (file or http(s) URL) as an HTTP connector with one transaction per operation; importing again updates it')
    .option('--connector <name>', 'connector name (default: from the spec title); an existing connector of that name is updated')
    .option('--server <index>', "which of the spec's servers the connector uses (0 = first)")
    .option('--dry-run', 'show what would change, write nothing')
    .option('--json', 'print one JSON object: { connector, imported, skipped, warnings, diff, ... }')
    .action(async (dir: string, source: string, opts: Options) => {
      try {
        let server: number | undefined;
        if (opts.server !== undefined) {
          server = Number(opts.server);
          if (!/^\d+$/.test(opts.server.trim())) throw new Error(`--server ${opts.server}: expected a server index (0, 1, ...)`);
        }
        const progress = !opts.json && process.stderr.isTTY ? ttyProgress() : undefined;
        let summary: ImportSummary;
        try {
          summary = await importOpenApi(dir, source, { connectorName: opts.connector, dryRun: opts.dryRun, server, onProgress: progress?.update });
        } finally {
          progress?.clear();
        }
        if (opts.json) processIo.out(JSON.stringify(jsonSummary(summary)));
        else processIo.out(humanSummary(summary, source));
      } catch (e) {
        failWith(e);
      }
    });
}

export function jsonSummary(s: ImportSummary): Record<string, unknown> {
  return {
    connector: s.connector,
    imported: s.imported,
    skipped: s.skipped.length,
    warnings: s.warnings,
    skippedOperations: s.skipped,
    diff: s.diff,
    dryRun: s.dryRun,
    file: s.file,
    written: s.written,
  };
}

const SHOWN_PER_CODE = 3;

export function humanSummary(s: ImportSummary, source: string): string {
  const lines: string[] = [];
  const d = s.diff;
  lines.push(`${s.dryRun ? 'dry run (nothing written): ' : ''}${source} → connector ${s.connector} (${s.file})`);
  lines.push(`  operations: ${s.imported} imported, ${s.skipped.length} skipped`);
  lines.push(`  changes: ${d.added.length} added, ${d.updated.length} updated, ${d.removed.length} marked removed, ${d.unchanged} unchanged${d.config.length ? `; settings changed: ${d.config.join(', ')}` : ''}`);
  const list = (label: string, names: string[]): void => {
    if (!names.length) return;
    const shown = names.slice(0, 10).join(', ');
    lines.push(`  ${label}: ${shown}${names.length > 10 ? `, and ${names.length - 10} more` : ''}`);
  };
  if (d.added.length !== s.imported) list('added', d.added);
  list('updated', d.updated);
  list('marked removed', d.removed);
  for (const k of s.skipped) lines.push(`  skipped ${k.operation}: ${k.reason}`);
  if (s.warnings.length) {
    lines.push(`  warnings: ${s.warnings.length}`);
    const byCode = new Map<string, ImportWarning[]>();
    for (const w of s.warnings) byCode.set(w.code, [...(byCode.get(w.code) ?? []), w]);
    for (const [code, ws] of byCode) {
      for (const w of ws.slice(0, SHOWN_PER_CODE)) lines.push(`    ${code}: ${w.message}`);
      if (ws.length > SHOWN_PER_CODE) lines.push(`    ${code}: ... and ${ws.length - SHOWN_PER_CODE} more like it (--json lists them all)`);
    }
  }
  if (!s.dryRun && s.written.length) lines.push(`  wrote ${s.written.length} file${s.written.length === 1 ? '' : 's'}`);
  return lines.join('\n');
}

function ttyProgress(): { update: (p: ImportProgress) => void; clear: () => void } {
  let last = 0;
  let shown = false;
  return {
    update: (p) => {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      const count = p.total ? ` ${p.done ?? 0}/${p.total}` : '';
      process.stderr.write(`\r${p.phase}${count}\u001b[K`);
      shown = true;
    },
    clear: () => {
      if (shown) process.stderr.write('\r\u001b[K');
    },
  };
}
